//! A minimal SMTP server on a loopback port for the integration tests (EHLO, MAIL, RCPT, DATA,
//! QUIT; no mocked transport), and the messages it accepted. Shared by the notification tests
//! (`notify.rs`) and the newsletter tests (`newsletter.rs`).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One message the SMTP server accepted (answered 250 after DATA).
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl Received {
    pub fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(self.data.as_bytes())
            .expect("a MIME message")
    }
    pub fn subject(&self) -> String {
        self.parsed().subject().unwrap_or("").to_owned()
    }
    pub fn text(&self) -> String {
        self.parsed()
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default()
    }
    pub fn html(&self) -> String {
        self.parsed()
            .body_html(0)
            .map(|t| t.into_owned())
            .unwrap_or_default()
    }
    /// A header's value as received (unfolded).
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or("");
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        unfolded.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    }
    pub fn message_id(&self) -> String {
        self.parsed().message_id().unwrap_or("").to_owned()
    }
    /// The address after `label: ` in the text part.
    pub fn link(&self, label: &str) -> String {
        self.text()
            .lines()
            .find_map(|line| {
                // French puts a no-break space before the colon.
                line.strip_prefix(&format!("{label}: "))
                    .or_else(|| line.strip_prefix(&format!("{label}\u{a0}: ")))
            })
            .unwrap_or_else(|| panic!("no {label} link in:\n{}", self.text()))
            .trim()
            .to_owned()
    }
}

pub struct Smtp {
    pub port: u16,
    pub shared: Arc<Shared>,
}

/// What the SMTP server's connections share with the test.
#[derive(Default)]
pub struct Shared {
    pub received: Mutex<Vec<Received>>,
    /// While set, a message's final "." is never answered; the connection is held until the
    /// client goes away, and the message is then dropped (as a real server does).
    pub hold: AtomicBool,
    pub held: AtomicUsize,
    pub dropped: AtomicUsize,
    /// Replies given instead of `250` to the next messages' final "." (a refusal each).
    pub refusals: Mutex<std::collections::VecDeque<String>>,
    pub refused: AtomicUsize,
}

impl Smtp {
    pub fn start() -> Smtp {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let smtp = Smtp {
            port: listener.local_addr().unwrap().port(),
            shared: Arc::default(),
        };
        let shared = Arc::clone(&smtp.shared);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = Arc::clone(&shared);
                std::thread::spawn(move || {
                    let _ = session(stream, &shared);
                });
            }
        });
        smtp
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn all(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    pub fn refuse_next(&self, reply: &str) {
        self.shared
            .refusals
            .lock()
            .unwrap()
            .push_back(reply.to_owned());
    }

    pub fn to(&self, address: &str) -> Vec<Received> {
        self.all()
            .into_iter()
            .filter(|m| m.to.iter().any(|to| to == address))
            .collect()
    }

    /// Waits until `count` messages went to `address` (30 s at most).
    pub async fn wait_for(&self, address: &str, count: usize) -> Vec<Received> {
        for _ in 0..300 {
            let got = self.to(address);
            if got.len() >= count {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "{count} message(s) to {address} expected; got {:?}",
            self.all()
                .iter()
                .map(|m| (m.to.clone(), m.subject()))
                .collect::<Vec<_>>()
        );
    }
}

fn session(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream.try_clone()?);
    writer.write_all(b"220 loopback test ESMTP\r\n")?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let address = |line: &str| {
        line.split_once('<')
            .and_then(|(_, rest)| rest.split_once('>'))
            .map(|(address, _)| address.to_owned())
            .unwrap_or_default()
    };
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let upper = line.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            writer.write_all(b"250-loopback\r\n250 8BITMIME\r\n")?;
        } else if upper.starts_with("HELO")
            || upper.starts_with("RSET")
            || upper.starts_with("NOOP")
        {
            writer.write_all(b"250 OK\r\n")?;
        } else if upper.starts_with("MAIL FROM") {
            from = address(&line);
            to.clear();
            writer.write_all(b"250 OK\r\n")?;
        } else if upper.starts_with("RCPT TO") {
            to.push(address(&line));
            writer.write_all(b"250 OK\r\n")?;
        } else if upper.starts_with("DATA") {
            writer.write_all(b"354 end with .\r\n")?;
            let mut data = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line)? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" {
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            if shared.hold.load(Ordering::SeqCst) {
                shared.held.fetch_add(1, Ordering::SeqCst);
                // Never answer: wait for the client to go away, then forget the message.
                let mut rest = [0u8; 64];
                let mut stream = reader.into_inner();
                while stream.read(&mut rest).unwrap_or(0) > 0 {}
                shared.dropped.fetch_add(1, Ordering::SeqCst);
                return Ok(());
            }
            let refusal = shared.refusals.lock().unwrap().pop_front();
            if let Some(reply) = refusal {
                writer.write_all(format!("{reply}\r\n").as_bytes())?;
                shared.refused.fetch_add(1, Ordering::SeqCst);
                continue;
            }
            writer.write_all(b"250 OK queued\r\n")?;
            shared.received.lock().unwrap().push(Received {
                from: from.clone(),
                to: to.clone(),
                data,
            });
        } else if upper.starts_with("QUIT") {
            writer.write_all(b"221 bye\r\n")?;
            return Ok(());
        } else {
            writer.write_all(b"502 not here\r\n")?;
        }
    }
}

// ---------------------------------------------------------------------------------------------
