package io.stratusmail.imap.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Delays per address: free failures, doubling, the cap, forgetting, success, the address bound. */
class LoginThrottleTest {

    private final AtomicLong now = new AtomicLong();
    private final LoginThrottle throttle = new LoginThrottle(3, Duration.ofSeconds(1), now::get);

    private static InetAddress address(int n) throws Exception {
        return InetAddress.getByAddress(new byte[] {10, (byte) (n >> 16), (byte) (n >> 8), (byte) n});
    }

    @Test
    void delaysStartAfterTheFreeFailuresAndDoubleUpToTheCap() throws Exception {
        InetAddress a = address(1);
        long[] expectedSeconds = {0, 0, 0, 1, 2, 4, 8, 16, 16, 16};
        for (long seconds : expectedSeconds) {
            assertThat(throttle.delayBeforeAttempt(a)).isEqualTo(Duration.ofSeconds(seconds));
            throttle.failed(a);
        }
        assertThat(throttle.delayBeforeAttempt(address(2))).isZero();
    }

    @Test
    void successAndTimeForgetFailures() throws Exception {
        InetAddress a = address(1);
        for (int i = 0; i < 4; i++) {
            throttle.failed(a);
        }
        assertThat(throttle.delayBeforeAttempt(a)).isEqualTo(Duration.ofSeconds(2));
        throttle.succeeded(a);
        assertThat(throttle.failures(a)).isZero();
        for (int i = 0; i < 4; i++) {
            throttle.failed(a);
        }
        now.addAndGet(LoginThrottle.FORGET_AFTER.toNanos() + 1);
        assertThat(throttle.delayBeforeAttempt(a)).isZero();
        assertThat(throttle.failures(a)).isZero();
    }

    @Test
    void remembersABoundedNumberOfAddresses() throws Exception {
        for (int i = 0; i <= LoginThrottle.MAX_TRACKED_ADDRESSES; i++) {
            throttle.failed(address(i));
        }
        assertThat(throttle.failures(address(0))).as("the least recently seen is forgotten").isZero();
        assertThat(throttle.failures(address(LoginThrottle.MAX_TRACKED_ADDRESSES))).isEqualTo(1);
    }

    @Test
    void zeroDelayTurnsDelaysOff() throws Exception {
        LoginThrottle off = new LoginThrottle(1, Duration.ZERO);
        for (int i = 0; i < 10; i++) {
            off.failed(address(1));
        }
        assertThat(off.delayBeforeAttempt(address(1))).isZero();
    }
}
