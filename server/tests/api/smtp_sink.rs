//! A real SMTP server process for the tests: `server/tests/smtp_sink.py` (aiosmtpd), which keeps
//! every message it accepts as an `.eml` file.
use std::{
    io::{BufRead, BufReader},
    path::PathBuf,
    process::{Child, Command, Stdio},
};

pub struct SmtpSink {
    pub port: u16,
    dir: tempfile::TempDir,
    process: Child,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

impl SmtpSink {
    /// Starts the server; it answers the first `refuse` messages with a temporary failure.
    pub async fn start(refuse: usize) -> SmtpSink {
        let dir = tempfile::tempdir().expect("temp dir");
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/smtp_sink.py");
        // Debian's python3, where python3-aiosmtpd lives, before any other on the PATH
        let python = std::env::var("LINEUP_TEST_PYTHON").unwrap_or_else(|_| {
            if std::path::Path::new("/usr/bin/python3").exists() {
                "/usr/bin/python3".into()
            } else {
                "python3".into()
            }
        });
        let mut process = Command::new(&python)
            .arg(&script)
            .arg(dir.path())
            .arg(refuse.to_string())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {python} {}: {e}", script.display()));
        let stdout = process.stdout.take().expect("stdout");
        // the first line is the port; it ends early (empty) when python3-aiosmtpd is missing
        let first = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            BufReader::new(stdout).read_line(&mut line).map(|_| line)
        })
        .await
        .expect("reader")
        .expect("the SMTP sink's first line");
        let port = first.trim().parse().unwrap_or_else(|_| {
            panic!("the SMTP sink printed {first:?}, not its port (is python3-aiosmtpd installed?)")
        });
        SmtpSink { port, dir, process }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}?tls=none", self.port)
    }

    /// The messages accepted so far, oldest first.
    pub fn messages(&self) -> Vec<Vec<u8>> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .expect("sink dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|p| std::fs::read(p).expect("message"))
            .collect()
    }
}
