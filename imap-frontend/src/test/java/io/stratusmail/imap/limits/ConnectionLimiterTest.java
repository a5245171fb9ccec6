package io.stratusmail.imap.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Connection counting per address, also under concurrent connects and closes. */
class ConnectionLimiterTest {

    @Test
    void countsPerAddress() throws Exception {
        ConnectionLimiter<InetAddress> limiter = new ConnectionLimiter<>(2);
        InetAddress a = InetAddress.getByName("10.0.0.1");
        InetAddress b = InetAddress.getByName("10.0.0.2");
        assertThat(limiter.tryAcquire(a)).isTrue();
        assertThat(limiter.tryAcquire(a)).isTrue();
        assertThat(limiter.tryAcquire(a)).isFalse();
        assertThat(limiter.tryAcquire(b)).isTrue();
        limiter.release(a);
        assertThat(limiter.openConnections(a)).isEqualTo(1);
        assertThat(limiter.tryAcquire(a)).isTrue();
    }

    @Test
    void concurrentAcquiresNeverExceedTheLimit() throws Exception {
        ConnectionLimiter<InetAddress> limiter = new ConnectionLimiter<>(10);
        InetAddress a = InetAddress.getByName("10.0.0.1");
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger maxSeen = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 10_000; i++) {
                    if (limiter.tryAcquire(a)) {
                        int now = granted.incrementAndGet();
                        maxSeen.accumulateAndGet(now, Math::max);
                        granted.decrementAndGet();
                        limiter.release(a);
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(maxSeen.get()).isLessThanOrEqualTo(10);
        assertThat(limiter.openConnections(a)).isZero();
    }
}
