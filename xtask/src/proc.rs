//! Running child processes the same way everywhere: from the workspace root, with the tools'
//! `PATH`, and printed before they run so a log shows exactly what to rerun by hand.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, ExitStatus, Stdio};

use crate::{Ctx, Result};

/// A command for `program`, run from the workspace root with the tools' `PATH`.
pub fn command(ctx: &Ctx, program: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(program);
    cmd.args(args).current_dir(&ctx.root).env("PATH", &ctx.path);
    cmd
}

/// `cargo <args>`. Plain `cargo` (the rustup proxy) rather than `$CARGO`: rustup has already set
/// `RUSTUP_TOOLCHAIN` for this process, so the proxy picks the same toolchain, and subcommands
/// such as `cargo fmt` and `cargo clippy` resolve through it as they would in a shell.
pub fn cargo(ctx: &Ctx, args: &[&str]) -> Command {
    command(ctx, "cargo", args)
}

/// `trunk <args>`, always offline: the only network here is package registries, and offline
/// trunk uses the `wasm-bindgen` and `wasm-opt` on `PATH` (versions checked against Trunk.toml)
/// instead of trying to download them.
pub fn trunk(ctx: &Ctx, args: &[&str]) -> Command {
    let mut cmd = command(ctx, "trunk", args);
    cmd.env("TRUNK_OFFLINE", "true");
    cmd
}

/// The command as a shell line: `(in DIR) $ VAR=value program args`. `PATH` is left out (it is
/// the same long value everywhere); `DIR` is shown only when it is not the workspace root.
pub fn describe(cmd: &Command) -> String {
    let root = crate::workspace_root();
    let mut line = String::new();
    if let Some(dir) = cmd.get_current_dir() {
        if dir != root {
            let shown = dir.strip_prefix(root).unwrap_or(dir);
            line.push_str(&format!("(in {}) ", shown.display()));
        }
    }
    line.push_str("$ ");
    for (key, value) in cmd.get_envs() {
        if key == "PATH" {
            continue;
        }
        if let Some(value) = value {
            let value = value.to_string_lossy();
            // Quoted when it holds spaces (KUDOS_TEST_PG_CTL), so the line still pastes into a shell.
            let value = if value.contains(char::is_whitespace) {
                format!("'{value}'")
            } else {
                value.into_owned()
            };
            line.push_str(&format!("{}={value} ", key.to_string_lossy()));
        }
    }
    line.push_str(&cmd.get_program().to_string_lossy());
    for arg in cmd.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    line
}

/// Prints the command, runs it with inherited output, and returns how it ended.
pub fn status(cmd: &mut Command) -> Result<ExitStatus> {
    announce(cmd);
    cmd.status().map_err(|err| spawn_error(cmd, err).into())
}

/// Like [`status`], but a non-zero exit is an error.
pub fn run(cmd: &mut Command) -> Result<()> {
    let status = status(cmd)?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(cmd)).into())
    }
}

/// Prints the command and runs it with its output captured, shown only when it fails: for
/// chatty helpers (initdb, pg_ctl) whose success says nothing worth a screenful.
pub fn run_quiet(cmd: &mut Command) -> Result<()> {
    announce(cmd);
    let output = cmd.output().map_err(|err| spawn_error(cmd, err))?;
    if output.status.success() {
        return Ok(());
    }
    let mut out = std::io::stdout();
    out.write_all(&output.stdout)?;
    out.flush()?;
    std::io::stderr().write_all(&output.stderr)?;
    Err(format!("`{}` failed ({})", describe(cmd), output.status).into())
}

/// Prints the command, runs it, and hands each line of its standard output to `on_line` as
/// well as echoing it (standard error passes straight through). Used to count test results
/// while the developer still sees the output as it happens.
pub fn run_tee(cmd: &mut Command, mut on_line: impl FnMut(&str)) -> Result<ExitStatus> {
    announce(cmd);
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|err| spawn_error(cmd, err))?;
    let stdout = child.stdout.take().ok_or("child has no stdout pipe")?;
    let mut out = std::io::stdout();
    for line in BufReader::new(stdout).split(b'\n') {
        // Test output may hold invalid UTF-8 (a test printing bytes); show it lossily rather
        // than stop reading and leave the child blocked on a full pipe.
        let line = line?;
        let text = String::from_utf8_lossy(&line);
        let text = text.strip_suffix('\r').unwrap_or(&text);
        writeln!(out, "{text}")?;
        out.flush()?;
        on_line(text);
    }
    Ok(child.wait()?)
}

/// Runs a probe quietly (version checks) and returns its trimmed standard output, or `None` when
/// it cannot be started or fails: both mean "not usable, install it".
pub fn probe(cmd: &mut Command) -> Option<String> {
    let output = cmd.stderr(Stdio::null()).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

fn announce(cmd: &Command) {
    println!("{}", describe(cmd));
    // Keep our line ahead of the child's output when stdout is a pipe (CI logs).
    let _ = std::io::stdout().flush();
}

fn spawn_error(cmd: &Command, err: std::io::Error) -> String {
    format!(
        "cannot start `{}`: {err}",
        cmd.get_program().to_string_lossy()
    )
}
