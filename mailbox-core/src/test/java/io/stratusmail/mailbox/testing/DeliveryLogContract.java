package io.stratusmail.mailbox.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratusmail.mailbox.message.DeliveryLog;
import io.stratusmail.mailbox.user.Username;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DeliveryLog} does: a recorded digest is seen for its recipient only, for the window only.
 * Subclasses give the log ({@link #log()}) and, where a store has one, a second node's view of the same log
 * ({@link #otherNode()}).
 */
public abstract class DeliveryLogContract {

    protected abstract DeliveryLog log();

    /** The same log as another node sees it; {@link #log()} itself for a store without nodes. */
    protected DeliveryLog otherNode() {
        return log();
    }

    protected static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Username user(String name) {
        return Username.of(name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
    }

    protected static byte[] digest(String message) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(message.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRecordedMessageIsSeenForItsRecipientOnly() {
        Username alice = user("alice");
        Username bob = user("bob");
        byte[] message = digest("Subject: one\r\n\r\nbody\r\n");

        assertThat(join(log().seen(alice, message))).isFalse();
        join(log().record(alice, message, Duration.ofHours(24)));

        assertThat(join(otherNode().seen(alice, message))).isTrue();
        assertThat(join(log().seen(bob, message))).isFalse();
        assertThat(join(log().seen(alice, digest("Subject: two\r\n\r\nbody\r\n")))).isFalse();
    }

    @Test
    void aRecordIsForgottenAfterItsWindow() throws InterruptedException {
        Username alice = user("alice");
        byte[] message = digest("Subject: short-lived\r\n\r\n");
        join(log().record(alice, message, Duration.ofSeconds(1)));
        assertThat(join(log().seen(alice, message))).isTrue();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (join(log().seen(alice, message)) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(join(otherNode().seen(alice, message))).isFalse();
    }

    @Test
    void recordingTwiceIsHarmless() {
        Username alice = user("alice");
        byte[] message = digest("Subject: twice\r\n\r\n");
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            writes.add((i % 2 == 0 ? log() : otherNode()).record(alice, message, Duration.ofMinutes(5))
                    .toCompletableFuture());
        }
        join(CompletableFuture.allOf(writes.toArray(new CompletableFuture[0])));
        assertThat(join(log().seen(alice, message))).isTrue();
    }

    @Test
    void aDeliveryRecordKeepsItsTargetAndTheLastOneWins() {
        Username alice = user("alice");
        byte[] message = digest("Subject: target\r\n\r\n");
        DeliveryLog.Delivery first = new DeliveryLog.Delivery(
                new io.stratusmail.mailbox.MailboxId(UUID.randomUUID()), UUID.randomUUID());
        DeliveryLog.Delivery retry = new DeliveryLog.Delivery(first.mailbox(), UUID.randomUUID());
        assertThat(join(log().find(alice, message))).isEmpty();

        join(log().record(alice, message, first, Duration.ofHours(1)));
        assertThat(join(otherNode().find(alice, message))).contains(first);
        assertThat(join(log().find(user("bob"), message))).isEmpty();

        join(log().record(alice, message, retry, Duration.ofHours(1)));
        assertThat(join(otherNode().find(alice, message))).contains(retry);
        assertThat(join(otherNode().seen(alice, message))).isTrue();

        join(log().record(alice, message, Duration.ofHours(1)));
        assertThat(join(log().find(alice, message))).hasValueSatisfying(d -> assertThat(d.stored()).isTrue());
        assertThatThrownBy(() -> new DeliveryLog.Delivery(first.mailbox(), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badDigestsAndWindowsAreRefused() {
        Username alice = user("alice");
        assertThatThrownBy(() -> join(call(() -> log().seen(alice, new byte[5]))))
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> join(call(() -> log().record(alice, digest("x"), Duration.ZERO))))
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> join(call(() -> log().record(alice, digest("x"), Duration.ofDays(31)))))
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThat(join(log().seen(alice, digest("x")))).isFalse();
    }

    private static <T> java.util.concurrent.CompletionStage<T> call(
            java.util.function.Supplier<java.util.concurrent.CompletionStage<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
