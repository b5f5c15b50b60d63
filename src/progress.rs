//! Progress on a terminal: one line on standard error, redrawn in place while a long run
//! walks and parses, and erased before anything else is printed.
//!
//! The caller decides whether to show it (standard error is a terminal, not `-q`, not
//! standard input); this module only counts and draws. Nothing is drawn during the first
//! second, so short runs (a pre-commit hook, a small repository) never show it, and the line
//! is redrawn at most ten times a second with `\r`, then overwritten with spaces and left
//! with the cursor at its start: the final output never mixes with it, whatever the
//! terminal (no escape sequences are used).

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Counts that the walk and the planner bump from any thread.
#[derive(Debug, Default)]
pub struct Counters {
    walked: AtomicUsize,
    parsed: AtomicUsize,
}

impl Counters {
    /// One more file looked at by the walk.
    pub fn walked(&self) {
        self.walked.fetch_add(1, Ordering::Relaxed);
    }

    /// One more file parsed (it held a provider prefix).
    pub fn parsed(&self) {
        self.parsed.fetch_add(1, Ordering::Relaxed);
    }

    /// (files walked, files parsed) so far.
    pub fn get(&self) -> (usize, usize) {
        (
            self.walked.load(Ordering::Relaxed),
            self.parsed.load(Ordering::Relaxed),
        )
    }
}

/// The progress line for these counts and this elapsed time (no `\r`, no padding).
pub fn line(walked: usize, parsed: usize, elapsed: Duration) -> String {
    let files = if walked == 1 { "file" } else { "files" };
    format!(
        "bedrock-migrate: {} {files} walked, {} parsed ({:.1} s)",
        thousands(walked),
        thousands(parsed),
        elapsed.as_secs_f64()
    )
}

/// `n` with a comma every three digits.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// How long a run goes before the line appears, and how often it is redrawn.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// Nothing is drawn before this.
    pub delay: Duration,
    /// Time between redraws.
    pub interval: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            delay: Duration::from_secs(1),
            interval: Duration::from_millis(100),
        }
    }
}

impl Timing {
    /// The default timing, except that `BEDROCK_MIGRATE_PROGRESS_DELAY_MS` (for tests, which
    /// cannot wait for a run to become long) sets the delay.
    pub fn from_env() -> Timing {
        let delay = std::env::var("BEDROCK_MIGRATE_PROGRESS_DELAY_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map(Duration::from_millis);
        Timing {
            delay: delay.unwrap_or(Timing::default().delay),
            ..Timing::default()
        }
    }
}

/// A thread that draws the progress line until [`Ticker::finish`] (or drop).
pub struct Ticker {
    stop: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Ticker {
    /// Start drawing `counters` on `out` (standard error) with `timing`.
    pub fn start(
        counters: Arc<Counters>,
        timing: Timing,
        mut out: impl Write + Send + 'static,
    ) -> Ticker {
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let signal = Arc::clone(&stop);
        let started = Instant::now();
        let thread = std::thread::spawn(move || {
            let (lock, condvar) = &*signal;
            let mut stopped = lock.lock().unwrap_or_else(|p| p.into_inner());
            let mut wait = timing.delay;
            let mut drawn = 0;
            loop {
                let (guard, _) = condvar
                    .wait_timeout_while(stopped, wait, |stopped| !*stopped)
                    .unwrap_or_else(|p| p.into_inner());
                stopped = guard;
                if *stopped {
                    break;
                }
                let (walked, parsed) = counters.get();
                let text = line(walked, parsed, started.elapsed());
                // Pad over a longer previous line; errors (a closed terminal) are ignored.
                let width = drawn.max(text.len());
                let _ = write!(out, "\r{text:width$}").and_then(|()| out.flush());
                drawn = width;
                wait = timing.interval;
            }
            if drawn > 0 {
                let _ = write!(out, "\r{:drawn$}\r", "").and_then(|()| out.flush());
            }
        });
        Ticker {
            stop,
            thread: Some(thread),
        }
    }

    /// Stop and erase the line; returns when it is erased.
    pub fn finish(mut self) {
        self.stop_thread();
    }

    fn stop_thread(&mut self) {
        let (lock, condvar) = &*self.stop;
        *lock.lock().unwrap_or_else(|p| p.into_inner()) = true;
        condvar.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.stop_thread();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_counts_with_separators_and_tenths_of_seconds() {
        assert_eq!(
            line(1, 0, Duration::from_millis(1049)),
            "bedrock-migrate: 1 file walked, 0 parsed (1.0 s)"
        );
        assert_eq!(
            line(1_234_567, 4_321, Duration::from_millis(12_345)),
            "bedrock-migrate: 1,234,567 files walked, 4,321 parsed (12.3 s)"
        );
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(100_000), "100,000");
    }

    /// A writer the test can read afterwards.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_short_run_draws_nothing() {
        let out = Shared::default();
        let ticker = Ticker::start(Arc::default(), Timing::default(), out.clone());
        ticker.finish();
        assert!(out.0.lock().unwrap().is_empty());
    }

    #[test]
    fn a_long_run_redraws_in_place_and_erases_the_line() {
        let out = Shared::default();
        let counters = Arc::new(Counters::default());
        let timing = Timing {
            delay: Duration::from_millis(10),
            interval: Duration::from_millis(10),
        };
        let ticker = Ticker::start(Arc::clone(&counters), timing, out.clone());
        for _ in 0..12 {
            counters.walked();
        }
        counters.parsed();
        std::thread::sleep(Duration::from_millis(100));
        ticker.finish();
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        assert!(text.starts_with("\rbedrock-migrate: "), "{text:?}");
        assert!(text.contains("12 files walked, 1 parsed"), "{text:?}");
        assert!(!text.contains('\n'), "{text:?}");
        // The last thing written blanks the line and returns to its start.
        let last = text.rsplit('\r').nth(1).unwrap();
        assert!(
            last.chars().all(|c| c == ' ') && !last.is_empty(),
            "{text:?}"
        );
        assert!(text.ends_with('\r'));
    }
}
