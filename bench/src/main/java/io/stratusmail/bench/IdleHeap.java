package io.stratusmail.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code idle-heap}: the server's heap per connected, authenticated IDLE session. Takes a class histogram of
 * the server JVM ({@code jcmd PID GC.class_histogram}, which runs a full GC first), opens {@code --sessions}
 * connections that each LOGIN, SELECT INBOX and IDLE (until the continuation), takes a second histogram with
 * them all open, and prints the live-heap difference per session and the classes that grew most; then closes
 * every connection. Also prints the server's resident set size before and after (heap and direct buffers).
 *
 * <p>Connections come from {@code --source-addresses} different loopback addresses (127.1.x.y) so a server's
 * connections-per-address limit is not reached, and log in as {@code --users} accounts in turn (see
 * {@link BenchAccounts}; create them with {@code --hash cheap}, this measures memory, not LOGIN).
 */
@Command(name = "idle-heap", description = "Heap of a server JVM per authenticated IDLE session (class histogram diff).")
final class IdleHeap implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "127.0.0.1") String host;
    @Option(names = "--port", required = true) int port;
    @Option(names = "--server-pid", required = true, description = "PID of the server JVM (for jcmd).") long pid;
    @Option(names = "--jcmd", defaultValue = "jcmd", description = "jcmd of the server's JDK.") String jcmd;
    @Option(names = "--prefix", defaultValue = "idle") String prefix;
    @Option(names = "--domain", defaultValue = "bench.local") String domain;
    @Option(names = "--users", defaultValue = "500") int users;
    @Option(names = "--password", defaultValue = "bench-password") String password;
    @Option(names = "--sessions", defaultValue = "10000") int sessions;
    @Option(names = "--source-addresses", defaultValue = "250") int sourceAddresses;
    @Option(names = "--threads", defaultValue = "16", description = "Threads that open sessions (blocking).")
    int threads;
    @Option(names = "--settle-seconds", defaultValue = "5") int settleSeconds;
    @Option(names = "--top", defaultValue = "25") int top;

    /** One class histogram: bytes and instances per class name, and the totals. */
    record Histogram(Map<String, long[]> byClass, long instances, long bytes) {
    }

    @Override
    public Integer call() throws Exception {
        Histogram before = histogram();
        long rssBefore = rssKiB();
        Map<String, Long> nativeBefore = nativeMemory();
        System.out.printf(Locale.ROOT, "idle-heap before: live_heap_bytes=%d instances=%d rss_kib=%d%n",
                before.bytes(), before.instances(), rssBefore);

        List<ImapClient> open = Collections.synchronizedList(new ArrayList<>(sessions));
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        List<Future<?>> jobs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            jobs.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < sessions) {
                    try {
                        open.add(openIdle(i));
                    } catch (IOException | RuntimeException e) {
                        if (failed.incrementAndGet() <= 5) {
                            System.out.println("idle-heap session " + i + " failed: " + e.getMessage());
                        }
                    }
                    if ((i + 1) % 1000 == 0) {
                        System.out.printf(Locale.ROOT, "idle-heap opened=%d seconds=%.1f%n", i + 1,
                                BenchStore.seconds(start));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : jobs) {
            f.get();
        }
        pool.shutdown();
        double openSeconds = BenchStore.seconds(start);
        Thread.sleep(settleSeconds * 1000L);

        Histogram with = histogram();
        long rssWith = rssKiB();
        Map<String, Long> nativeWith = nativeMemory();
        int n = open.size();
        long delta = with.bytes() - before.bytes();
        System.out.printf(Locale.ROOT, "idle-heap with sessions: live_heap_bytes=%d instances=%d rss_kib=%d%n",
                with.bytes(), with.instances(), rssWith);
        System.out.printf(Locale.ROOT, "idle-heap sessions=%d failed=%d open_seconds=%.1f heap_delta_bytes=%d "
                        + "bytes_per_session=%.0f instances_per_session=%.1f rss_delta_per_session_bytes=%.0f%n",
                n, failed.get(), openSeconds, delta, n == 0 ? 0.0 : (double) delta / n,
                n == 0 ? 0.0 : (double) (with.instances() - before.instances()) / n,
                n == 0 ? 0.0 : (rssWith - rssBefore) * 1024.0 / n);
        printTop(before, with, n);
        printNative(nativeBefore, nativeWith, n);

        for (ImapClient c : open) {
            try {
                c.abort();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        return failed.get() == 0 ? 0 : 1;
    }

    private ImapClient openIdle(int i) throws IOException {
        int a = i % sourceAddresses;
        InetAddress local = InetAddress.getByAddress(new byte[] {127, 1, (byte) (a / 250), (byte) (a % 250 + 1)});
        ImapClient c = new ImapClient(host, port, local);
        try {
            String user = BenchAccounts.name(prefix, i % users + 1, domain);
            ImapClient.Response r = c.command("LOGIN \"" + user + "\" \"" + password + "\"");
            if (!r.ok()) {
                throw new IOException("LOGIN " + user + ": " + r.tagged());
            }
            r = c.command("SELECT INBOX");
            if (!r.ok()) {
                throw new IOException("SELECT: " + r.tagged());
            }
            c.startIdle();
            return c;
        } catch (IOException | RuntimeException e) {
            c.abort();
            throw e;
        }
    }

    private void printTop(Histogram before, Histogram with, int n) {
        Map<String, long[]> diff = new HashMap<>();
        with.byClass().forEach((name, v) -> {
            long[] b = before.byClass().getOrDefault(name, new long[2]);
            diff.put(name, new long[] {v[0] - b[0], v[1] - b[1]});
        });
        System.out.printf(Locale.ROOT, "%-70s %12s %12s %10s%n", "class (top by bytes grown)", "instances",
                "bytes", "B/session");
        diff.entrySet().stream()
                .sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]))
                .limit(top)
                .forEach(e -> System.out.printf(Locale.ROOT, "%-70s %12d %12d %10.1f%n", e.getKey(),
                        e.getValue()[0], e.getValue()[1], n == 0 ? 0.0 : (double) e.getValue()[1] / n));
    }

    /**
     * Committed KiB per Native Memory Tracking category ({@code jcmd PID VM.native_memory summary}); empty when
     * the server runs without {@code -XX:NativeMemoryTracking=summary}. Netty's direct buffers are in "Other".
     */
    private Map<String, Long> nativeMemory() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), "VM.native_memory", "summary")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Map<String, Long> committed = new java.util.LinkedHashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?m)^[-\\s]*([A-Za-z][A-Za-z ]*?)\\s*\\(reserved=\\d+KB, committed=(\\d+)KB").matcher(out);
        while (m.find()) {
            committed.merge(m.group(1).trim(), Long.parseLong(m.group(2)), Long::sum);
        }
        return committed;
    }

    private static void printNative(Map<String, Long> before, Map<String, Long> with, int n) {
        if (with.isEmpty()) {
            System.out.println("idle-heap native memory: not tracked (start the server with -XX:NativeMemoryTracking=summary)");
            return;
        }
        System.out.printf(Locale.ROOT, "%-30s %14s %10s%n", "native memory (NMT, committed)", "delta_KiB", "B/session");
        with.forEach((category, kib) -> {
            long delta = kib - before.getOrDefault(category, 0L);
            if (delta != 0) {
                System.out.printf(Locale.ROOT, "%-30s %14d %10.0f%n", category, delta,
                        n == 0 ? 0.0 : delta * 1024.0 / n);
            }
        });
    }

    /** {@code jcmd PID GC.class_histogram}: full GC, then one line per class {@code num: instances bytes name}. */
    private Histogram histogram() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("jcmd failed: " + out);
        }
        Map<String, long[]> byClass = new HashMap<>();
        long instances = 0;
        long bytes = 0;
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                byClass.merge(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])},
                        (x, y) -> new long[] {x[0] + y[0], x[1] + y[1]});
            } else if (f.length >= 3 && f[0].equals("Total")) {
                instances = Long.parseLong(f[1]);
                bytes = Long.parseLong(f[2]);
            }
        }
        return new Histogram(byClass, instances, bytes);
    }

    private long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
