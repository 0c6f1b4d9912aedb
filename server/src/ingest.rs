//! Group commit: submissions that arrive together are stored in one transaction.
//!
//! A request hands its submission to a writer and waits for the commit before it answers, so a
//! 2xx always means "on disk" (the durability test kills the process mid-load and finds every
//! answered id). The writer takes whatever else is already waiting (up to [`MAX_BATCH`]) into the
//! same transaction: under load one fsync serves many requests, which is how ingestion keeps up
//! with, and beats, one transaction per request. With no load a batch is one submission and
//! nothing waits for company.
//!
//! SQLite has one writer (it takes one writer at a time anyway); PostgreSQL several, so batches
//! overlap. Nothing here is shared between instances: the unique key on `id` does that.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot, Mutex};

use crate::store::{Backend, NewSubmission, Reply, Store, StoreError};

/// The most submissions one transaction takes.
pub const MAX_BATCH: usize = 256;

struct Job {
    submission: NewSubmission,
    reply_to: oneshot::Sender<Result<Reply, StoreError>>,
}

/// The handle request handlers use.
#[derive(Clone)]
pub struct Ingest {
    queue: mpsc::Sender<Job>,
}

impl Ingest {
    /// Starts the writers for `store`.
    pub fn start(store: Store) -> Ingest {
        let writers = match store.backend() {
            Backend::Sqlite => 1,
            Backend::Postgres => 4,
        };
        let (queue, receiver) = mpsc::channel::<Job>(MAX_BATCH * 8);
        let receiver = Arc::new(Mutex::new(receiver));
        for _ in 0..writers {
            tokio::spawn(write_batches(store.clone(), Arc::clone(&receiver)));
        }
        Ingest { queue }
    }

    /// Stores one submission (or finds its id already stored) and returns the reply it gets.
    pub async fn submit(&self, submission: NewSubmission) -> Result<Reply, StoreError> {
        let (reply_to, reply) = oneshot::channel();
        self.queue
            .send(Job {
                submission,
                reply_to,
            })
            .await
            .map_err(|_| StoreError::Unavailable("the writer has stopped".into()))?;
        reply
            .await
            .map_err(|_| StoreError::Unavailable("the writer has stopped".into()))?
    }
}

async fn write_batches(store: Store, receiver: Arc<Mutex<mpsc::Receiver<Job>>>) {
    loop {
        let mut jobs = Vec::new();
        {
            // One writer at a time collects a batch; the others write theirs meanwhile.
            let mut receiver = receiver.lock().await;
            match receiver.recv().await {
                Some(job) => jobs.push(job),
                None => return,
            }
            while jobs.len() < MAX_BATCH {
                match receiver.try_recv() {
                    Ok(job) => jobs.push(job),
                    Err(_) => break,
                }
            }
        }
        let batch: Vec<NewSubmission> = jobs.iter().map(|job| job.submission.clone()).collect();
        let results: Vec<Result<Reply, StoreError>> = match store.insert_batch(&batch).await {
            Ok(replies) => replies.into_iter().map(Ok).collect(),
            // A batch that failed for another reason than an unreachable database is retried one
            // by one, so one bad row (or a deadlock victim) can't fail the others.
            Err(StoreError::Failed(_)) if batch.len() > 1 => {
                let mut results = Vec::with_capacity(batch.len());
                for submission in &batch {
                    results.push(
                        store
                            .insert_batch(std::slice::from_ref(submission))
                            .await
                            .map(|mut replies| replies.remove(0)),
                    );
                }
                results
            }
            Err(err) => batch.iter().map(|_| Err(err.clone())).collect(),
        };
        if let Some(Err(err)) = results.iter().find(|result| result.is_err()) {
            tracing::warn!(batch = batch.len(), error = %err, "storing submissions failed");
        }
        for (job, result) in jobs.into_iter().zip(results) {
            // The request may have gone (client hung up); the row is stored all the same.
            let _ = job.reply_to.send(result);
        }
    }
}
