package io.stratusmail.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Load generators against a running server (Stratus from {@code ./stratus dev}, or any IMAP/LMTP server):
 * {@code lmtp} delivers the SpamAssassin corpus over N connections, {@code imap-fetch} reads a mailbox back
 * with {@code FETCH n BODY.PEEK[]} over N connections. Each prints one result line with the rates. The storage
 * benchmarks run the store in process against a running Cassandra: {@code big-mailbox} ({@link BigMailbox})
 * and {@code append-rate} ({@link AppendRate}). Beside Dovecot ({@code bench/compare-dovecot.sh}): {@code accounts}
 * ({@link BenchAccounts}), {@code imap-load} ({@link ImapLoad}); heap per IDLE session: {@code idle-heap}
 * ({@link IdleHeap}).
 * Run through {@code bench/run}.
 */
@Command(name = "stratus-bench", mixinStandardHelpOptions = true,
        subcommands = {LoadGenerator.Lmtp.class, LoadGenerator.ImapFetch.class, BigMailbox.class, AppendRate.class,
            BenchAccounts.class, ImapLoad.class, IdleHeap.class})
public final class LoadGenerator {

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadGenerator()).execute(args));
    }

    @Command(name = "lmtp", description = "Deliver corpus messages over LMTP and report messages/s.")
    static final class Lmtp implements Callable<Integer> {
        @Option(names = "--host", defaultValue = "127.0.0.1") String host;
        @Option(names = "--port", defaultValue = "2424") int port;
        @Option(names = "--to", split = ",", required = true, description = "recipient(s) of every message") List<String> to;
        @Option(names = "--connections", defaultValue = "1") int connections;
        @Option(names = "--messages", defaultValue = "1000") int messages;

        @Override
        public Integer call() throws Exception {
            List<byte[]> corpus = SpamAssassinCorpus.messages(messages);
            long octets = corpus.stream().mapToLong(m -> m.length).sum();
            AtomicLong failed = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(connections);
            long start = System.nanoTime();
            List<Future<?>> jobs = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                int first = c;
                jobs.add(pool.submit(() -> {
                    try (LmtpClient client = new LmtpClient(host, port)) {
                        for (int i = first; i < corpus.size(); i += connections) {
                            for (String reply : client.deliver("bench@example.org", to, corpus.get(i))) {
                                if (!reply.startsWith("250")) {
                                    failed.incrementAndGet();
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
            double secs = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            System.out.printf(Locale.ROOT,
                    "lmtp connections=%d messages=%d recipients=%d octets=%d seconds=%.2f messages_per_s=%.1f "
                            + "recipient_deliveries_per_s=%.1f MiB_per_s=%.2f failed=%d%n",
                    connections, corpus.size(), to.size(), octets, secs, corpus.size() / secs,
                    (double) corpus.size() * to.size() / secs, octets / secs / (1 << 20), failed.get());
            return failed.get() == 0 ? 0 : 1;
        }
    }

    @Command(name = "imap-fetch", description = "Read every message of a mailbox with FETCH n BODY.PEEK[] and report messages/s.")
    static final class ImapFetch implements Callable<Integer> {
        private static final Pattern EXISTS = Pattern.compile("\\* (\\d+) EXISTS");

        @Option(names = "--host", defaultValue = "127.0.0.1") String host;
        @Option(names = "--port", defaultValue = "1143") int port;
        @Option(names = "--user", required = true) String user;
        @Option(names = "--password", required = true) String password;
        @Option(names = "--mailbox", defaultValue = "INBOX") String mailbox;
        @Option(names = "--connections", defaultValue = "1") int connections;

        @Override
        public Integer call() throws Exception {
            int exists;
            try (ImapClient probe = login()) {
                exists = select(probe);
            }
            AtomicLong octets = new AtomicLong();
            AtomicLong fetched = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(connections);
            long start = System.nanoTime();
            List<Future<?>> jobs = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                int first = c + 1;
                jobs.add(pool.submit(() -> {
                    try (ImapClient client = login()) {
                        select(client);
                        for (int msn = first; msn <= exists; msn += connections) {
                            ImapClient.Response r = client.command("FETCH " + msn + " BODY.PEEK[]");
                            if (!r.ok() || r.literals() != 1) {
                                throw new IllegalStateException("FETCH " + msn + " failed: " + r.tagged());
                            }
                            octets.addAndGet(r.literalOctets());
                            fetched.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
            double secs = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            System.out.printf(Locale.ROOT,
                    "imap-fetch connections=%d messages=%d octets=%d seconds=%.2f messages_per_s=%.1f MiB_per_s=%.2f%n",
                    connections, fetched.get(), octets.get(), secs, fetched.get() / secs, octets.get() / secs / (1 << 20));
            return 0;
        }

        private ImapClient login() throws Exception {
            ImapClient client = new ImapClient(host, port);
            ImapClient.Response r = client.command("LOGIN \"" + user + "\" \"" + password + "\"");
            if (!r.ok()) {
                throw new IllegalStateException("LOGIN failed: " + r.tagged());
            }
            return client;
        }

        private int select(ImapClient client) throws Exception {
            ImapClient.Response r = client.command("EXAMINE \"" + mailbox + "\"");
            Matcher m = EXISTS.matcher(new String(r.untagged(), java.nio.charset.StandardCharsets.UTF_8));
            if (!r.ok() || !m.find()) {
                throw new IllegalStateException("EXAMINE failed: " + r.tagged());
            }
            return Integer.parseInt(m.group(1));
        }
    }
}
