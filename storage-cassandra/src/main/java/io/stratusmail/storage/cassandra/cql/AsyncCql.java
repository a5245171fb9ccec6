package io.stratusmail.storage.cassandra.cql;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Non-blocking helpers over the driver's async API. Every stage returned here completes on a driver
 * thread; nothing here blocks, so callers may run on a Netty event loop.
 */
public final class AsyncCql {

    /** Largest random pause between attempts of a conditional write that lost a race (see {@link #jitter}). */
    public static final long CAS_RETRY_JITTER_MICROS = 2_000;

    private AsyncCql() {
    }

    /** Executes a statement; failures are mapped by {@link StorageErrors#translate}. */
    public static CompletionStage<AsyncResultSet> execute(CqlSession session, Statement<?> statement,
                                                          String operation) {
        return translated(session.executeAsync(statement), operation);
    }

    /** Maps the failure of {@code stage}, if any, with {@link StorageErrors#translate}. */
    public static <T> CompletionStage<T> translated(CompletionStage<T> stage, String operation) {
        CompletableFuture<T> out = new CompletableFuture<>();
        stage.whenComplete((value, error) -> {
            if (error == null) {
                out.complete(value);
            } else {
                out.completeExceptionally(StorageErrors.translate(error, operation));
            }
        });
        return out;
    }

    /**
     * Reads every page of a result, keeping the rows {@code keep} accepts, mapped by {@code mapper}.
     * Pages are fetched one after the other with {@link AsyncResultSet#fetchNextPage()}.
     */
    public static <T> CompletionStage<List<T>> collect(CompletionStage<AsyncResultSet> first, Predicate<Row> keep,
                                                       Function<Row, T> mapper, String operation) {
        CompletableFuture<List<T>> out = new CompletableFuture<>();
        List<T> acc = new ArrayList<>();
        translated(first, operation).whenComplete((rs, error) -> onPage(rs, error, acc, keep, mapper, operation, out));
        return out;
    }

    private static <T> void onPage(AsyncResultSet rs, Throwable error, List<T> acc, Predicate<Row> keep,
                                   Function<Row, T> mapper, String operation, CompletableFuture<List<T>> out) {
        if (error != null) {
            out.completeExceptionally(error);
            return;
        }
        try {
            // The next page is asked for before this one is decoded, so the node reads while we decode.
            CompletionStage<AsyncResultSet> next = rs.hasMorePages() ? translated(rs.fetchNextPage(), operation) : null;
            for (Row row : rs.currentPage()) {
                if (keep.test(row)) {
                    acc.add(mapper.apply(row));
                }
            }
            if (next != null) {
                next.whenComplete((page, e) -> onPage(page, e, acc, keep, mapper, operation, out));
            } else {
                out.complete(acc);
            }
        } catch (RuntimeException e) {
            out.completeExceptionally(e);
        }
    }

    /** Prepares the statements, in the given order. */
    public static CompletionStage<List<PreparedStatement>> prepareAll(CqlSession session, List<String> cql) {
        List<CompletableFuture<PreparedStatement>> futures = new ArrayList<>();
        for (String text : cql) {
            futures.add(translated(session.prepareAsync(text), "prepare").toCompletableFuture());
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(v -> futures.stream().map(CompletableFuture::join).toList());
    }

    /**
     * Completes after a random delay of 0 to {@code maxMicros} microseconds. Used between attempts of a
     * conditional write that lost a race: a lost race means another writer made progress, so retrying soon
     * is safe (no livelock), and the small random spread keeps retries from colliding in lockstep. A long or
     * growing delay would starve the loser, because the winner keeps committing while it sleeps.
     */
    public static CompletionStage<Void> jitter(long maxMicros) {
        long delay = ThreadLocalRandom.current().nextLong(maxMicros + 1);
        return CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(delay, TimeUnit.MICROSECONDS));
    }
}
