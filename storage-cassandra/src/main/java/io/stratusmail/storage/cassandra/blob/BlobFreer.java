package io.stratusmail.storage.cassandra.blob;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's periodic freeing task: every {@code interval}, frees at most {@code perRun} queued blobs whose
 * grace has passed ({@link SharedBlobs#freeDue}). Runs on its own daemon thread, one run at a time; a failed
 * run is logged and the next one retries (queue entries stay until handled). Every node may run it: two nodes
 * freeing one blob both find it unreferenced and delete the same cells (idempotent).
 */
public final class BlobFreer implements AutoCloseable {

    /** Default pause between runs. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    /** Default most blobs freed per run (bounded work). */
    public static final int DEFAULT_PER_RUN = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(BlobFreer.class);

    private final ScheduledExecutorService scheduler;

    private BlobFreer(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Starts the task; the first run is after one {@code interval}.
     *
     * @param interval pause between runs, at least 1 second
     * @param perRun   most blobs freed per run, at least 1
     */
    public static BlobFreer start(CqlSession session, CassandraStoreConfig config, Duration interval, int perRun) {
        if (interval.toSeconds() < 1 || perRun < 1) {
            throw new IllegalArgumentException("interval must be at least 1 s and perRun at least 1");
        }
        SharedBlobs blobs = SharedBlobs.prepare(session, config).toCompletableFuture().join();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stratus-blob-freer");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                SharedBlobs.FreeRun run = blobs.freeDue(perRun).toCompletableFuture()
                        .get(interval.toSeconds() * 10, TimeUnit.SECONDS);
                if (run.freed() > 0) {
                    LOG.info("event=blobs_freed count={} bytes={}", run.freed(), run.freedBytes());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warn("event=blob_free_run_failed error={}", e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return new BlobFreer(scheduler);
    }

    /** Stops the task (a run in progress is interrupted; its unfinished entries stay queued). */
    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
