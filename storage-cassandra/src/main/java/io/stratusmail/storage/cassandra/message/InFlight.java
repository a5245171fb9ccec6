package io.stratusmail.storage.cassandra.message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Runs an asynchronous step over a list with a bounded number of steps in flight (blob copies and writes). */
final class InFlight {

    private InFlight() {
    }

    /**
     * Applies {@code step} to every item, at most {@code limit} at a time; completes with the results in
     * item order, or with the first failure (no step starts after it).
     */
    static <T, R> CompletionStage<List<R>> map(List<T> items, int limit, Function<T, CompletionStage<R>> step) {
        CompletableFuture<List<R>> done = new CompletableFuture<>();
        int n = items.size();
        if (n == 0) {
            done.complete(List.of());
            return done;
        }
        List<R> results = Collections.synchronizedList(new ArrayList<>(Collections.nCopies(n, null)));
        AtomicInteger next = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        for (int w = 0; w < Math.min(limit, n); w++) {
            run(items, step, results, next, finished, done);
        }
        return done;
    }

    private static <T, R> void run(List<T> items, Function<T, CompletionStage<R>> step, List<R> results,
                                   AtomicInteger next, AtomicInteger finished, CompletableFuture<List<R>> done) {
        int i = next.getAndIncrement();
        if (i >= items.size() || done.isDone()) {
            return;
        }
        CompletionStage<R> stage;
        try {
            stage = step.apply(items.get(i));
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((value, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
                return;
            }
            results.set(i, value);
            if (finished.incrementAndGet() == items.size()) {
                done.complete(List.copyOf(results));
            } else {
                run(items, step, results, next, finished, done);
            }
        });
    }
}
