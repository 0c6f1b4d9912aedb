//! `kudos-server`: parses the command line and runs the command (see `commands`).

use std::process::ExitCode;

fn main() -> ExitCode {
    let matches = kudos_server::config::command().get_matches();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("kudos-server: cannot start: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(kudos_server::commands::run(matches)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("kudos-server: {err}");
            ExitCode::FAILURE
        }
    }
}
