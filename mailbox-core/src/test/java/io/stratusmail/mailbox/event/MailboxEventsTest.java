package io.stratusmail.mailbox.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratusmail.mailbox.MailboxId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The node-local hint bus: delivery per mailbox, coalescing, limits, forwarding and concurrency. */
class MailboxEventsTest {

    /** An executor that runs tasks only when told, like an event loop busy elsewhere. */
    private static final class ManualExecutor implements Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable task) {
            tasks.add(task);
        }

        synchronized int runAll() {
            int n = 0;
            while (!tasks.isEmpty()) {
                tasks.poll().run();
                n++;
            }
            return n;
        }
    }

    private final MailboxId inbox = MailboxId.random();
    private final MailboxId other = MailboxId.random();

    @Test
    void subscriberGetsHintsOfItsMailboxOnlyOnItsExecutor() {
        MailboxEvents events = new MailboxEvents();
        ManualExecutor loop = new ManualExecutor();
        List<MailboxChange> got = new ArrayList<>();
        events.subscribe(inbox, loop, got::add);

        events.publish(new MailboxChange(other, 7));
        events.publish(new MailboxChange(inbox, 5));
        assertThat(got).as("nothing runs before the executor does").isEmpty();
        loop.runAll();
        assertThat(got).containsExactly(new MailboxChange(inbox, 5));
    }

    @Test
    void burstIsCoalescedIntoOneDeliveryWithTheHighestModSeq() {
        MailboxEvents events = new MailboxEvents();
        ManualExecutor loop = new ManualExecutor();
        List<MailboxChange> got = new ArrayList<>();
        events.subscribe(inbox, loop, got::add);

        for (long m = 10; m <= 1000; m++) {
            events.receive(new MailboxChange(inbox, m));
        }
        events.receive(new MailboxChange(inbox, 3));
        assertThat(loop.runAll()).as("one task queued for the burst").isEqualTo(1);
        assertThat(got).containsExactly(new MailboxChange(inbox, 1000));
    }

    @Test
    void unknownModSeqIsNotLostWhenCoalescedWithAKnownOne() {
        MailboxEvents events = new MailboxEvents();
        ManualExecutor loop = new ManualExecutor();
        List<MailboxChange> got = new ArrayList<>();
        events.subscribe(inbox, loop, got::add);

        events.receive(new MailboxChange(inbox, 40));
        events.receive(new MailboxChange(inbox, MailboxChange.UNKNOWN_MODSEQ));
        events.receive(new MailboxChange(inbox, 41));
        loop.runAll();
        assertThat(got).containsExactly(new MailboxChange(inbox, MailboxChange.UNKNOWN_MODSEQ));
        assertThat(got.get(0).newerThan(1_000_000)).as("an unknown MODSEQ always asks for a re-check").isTrue();
    }

    @Test
    void closedSubscriptionGetsNothingAndFreesItsSlot() {
        MailboxEvents events = new MailboxEvents(1, 10);
        ManualExecutor loop = new ManualExecutor();
        List<MailboxChange> got = new ArrayList<>();
        MailboxEvents.Subscription s = events.subscribe(inbox, loop, got::add);
        events.publish(new MailboxChange(inbox, 1));
        s.close();
        s.close();
        loop.runAll();
        events.publish(new MailboxChange(inbox, 2));
        loop.runAll();
        assertThat(got).as("a delivery queued before close is not run after it").isEmpty();
        assertThat(events.subscriptions()).isZero();
        events.subscribe(other, loop, got::add).close();
    }

    @Test
    void subscriptionsBeyondTheLimitAreRefused() {
        MailboxEvents events = new MailboxEvents(2, 10);
        Executor direct = Runnable::run;
        events.subscribe(inbox, direct, c -> { });
        events.subscribe(inbox, direct, c -> { });
        assertThatThrownBy(() -> events.subscribe(other, direct, c -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("limit 2");
        assertThat(events.subscriptions()).isEqualTo(2);
    }

    @Test
    void saturatedBusDropsAndCountsInsteadOfQueueing() {
        MailboxEvents events = new MailboxEvents(100, 3);
        ManualExecutor loop = new ManualExecutor();
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 5; i++) {
            events.subscribe(MailboxId.random(), loop, c -> calls.incrementAndGet());
        }
        List<MailboxId> boxes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            MailboxId id = MailboxId.random();
            boxes.add(id);
            events.subscribe(id, loop, c -> calls.incrementAndGet());
        }
        int accepted = 0;
        for (MailboxId id : boxes) {
            accepted += events.receive(new MailboxChange(id, 1)) ? 1 : 0;
        }
        assertThat(accepted).isEqualTo(3);
        assertThat(events.saturated()).isTrue();
        assertThat(events.dropped()).isEqualTo(2);
        assertThat(loop.runAll()).isEqualTo(3);
        assertThat(calls).hasValue(3);
        assertThat(events.saturated()).as("slots are freed when deliveries run").isFalse();
        assertThat(events.receive(new MailboxChange(boxes.get(4), 2))).isTrue();
    }

    @Test
    void forwardersSeeLocalChangesButNotHintsFromPeers() {
        MailboxEvents events = new MailboxEvents();
        List<MailboxChange> forwarded = new ArrayList<>();
        MailboxEvents.Subscription f = events.forwardTo(forwarded::add);
        events.publish(new MailboxChange(inbox, 1));
        events.receive(new MailboxChange(inbox, 2));
        f.close();
        events.publish(new MailboxChange(inbox, 3));
        assertThat(forwarded).containsExactly(new MailboxChange(inbox, 1));
    }

    @Test
    void failingListenerOrForwarderDoesNotStopTheOthers() {
        MailboxEvents events = new MailboxEvents();
        List<MailboxChange> got = new ArrayList<>();
        events.forwardTo(c -> {
            throw new IllegalStateException("broken forwarder");
        });
        events.subscribe(inbox, Runnable::run, c -> {
            throw new IllegalStateException("broken listener");
        });
        events.subscribe(inbox, Runnable::run, got::add);
        assertThat(events.publish(new MailboxChange(inbox, 9))).isTrue();
        assertThat(got).containsExactly(new MailboxChange(inbox, 9));
    }

    @Test
    void rejectingExecutorCountsADrop() {
        MailboxEvents events = new MailboxEvents();
        ExecutorService stopped = Executors.newSingleThreadExecutor();
        stopped.shutdown();
        events.subscribe(inbox, stopped, c -> { });
        assertThat(events.receive(new MailboxChange(inbox, 1))).isFalse();
        assertThat(events.dropped()).isEqualTo(1);
        assertThat(events.saturated()).isFalse();
    }

    @Test
    void concurrentPublishersAndSubscribersLoseNoFinalHint() throws Exception {
        MailboxEvents events = new MailboxEvents();
        ExecutorService loop = Executors.newSingleThreadExecutor();
        ExecutorService publishers = Executors.newFixedThreadPool(4);
        try {
            List<Long> seen = Collections.synchronizedList(new ArrayList<>());
            events.subscribe(inbox, loop, c -> seen.add(c.modSeq()));
            // Churn: other sessions subscribe and unsubscribe the same mailbox while hints flow.
            CountDownLatch done = new CountDownLatch(4);
            for (int t = 0; t < 4; t++) {
                int base = t * 10_000;
                publishers.execute(() -> {
                    for (int i = 1; i <= 5_000; i++) {
                        events.publish(new MailboxChange(inbox, base + i));
                        if (i % 100 == 0) {
                            events.subscribe(inbox, loop, c -> { }).close();
                        }
                    }
                    done.countDown();
                });
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            loop.submit(() -> { }).get(10, TimeUnit.SECONDS);
            loop.submit(() -> { }).get(10, TimeUnit.SECONDS);
            assertThat(seen).isNotEmpty();
            assertThat(Collections.max(seen)).as("the highest MODSEQ published is delivered").isEqualTo(35_000L);
            assertThat(events.subscriptions()).isEqualTo(1);
            assertThat(events.dropped()).isZero();
        } finally {
            loop.shutdownNow();
            publishers.shutdownNow();
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> new MailboxChange(inbox, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MailboxEvents(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MailboxEvents(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
