//! Shared test support: a temp folder per test, the binary with a clean
//! environment, and small writers for fixture workbooks and CSV files.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub struct TestDir {
    pub dir: tempfile::TempDir,
}

impl TestDir {
    pub fn new() -> TestDir {
        TestDir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes `bytes` at `rel`, creating folders.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, bytes).expect("write");
        p
    }

    /// `offsheet` run in this folder with only PATH kept and colours off.
    pub fn offsheet(&self) -> Command {
        let mut cmd = Command::cargo_bin("offsheet").expect("binary");
        cmd.current_dir(self.path())
            .env_clear()
            .env("NO_COLOR", "1")
            .env("PATH", std::env::var_os("PATH").unwrap_or_default());
        cmd
    }
}

/// The repository's own folder (for fixtures/ and examples/).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs a command and returns (exit code, stdout, stderr).
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("run offsheet");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// offsheet.toml pairing the shadow sheet tracker.csv (order, date, status) with
/// the system export oms/orders.csv, the shadow named `shadow`, owned by Janet.
pub fn tracker_config(shadow: &str) -> String {
    r#"version = 1
[[source]]
file = "tracker.csv"
feeds = ["orders"]
columns = [
  { column = "A", header = "Order", field = "order_id" },
  { column = "B", header = "Date", field = "order_date" },
  { column = "C", header = "Status", field = "status" },
]
[[source]]
file = "oms/orders.csv"
feeds = ["orders"]
columns = [
  { column = "A", header = "order_id", field = "order_id" },
  { column = "B", header = "order_date", field = "order_date" },
  { column = "C", header = "status", field = "status" },
]
[[shadow]]
name = "{shadow}"
path = "tracker.csv"
entity = "orders"
owner = "Janet"
system = "oms/orders.csv"
"#
    .replace("{shadow}", shadow)
}
