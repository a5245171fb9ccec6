package io.stratusmail.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code imap-load}: N concurrent clients, each repeating a mail client's session until the time is up:
 * connect, LOGIN, SELECT INBOX, then {@code --commands-per-session} commands drawn with the weights below, then
 * LOGOUT. Prints commands/s and p50/p99 latency per command as one table. The same generator, seed and corpus
 * drive any IMAP server, so two targets (Stratus, Dovecot) seeded with the same messages compare directly.
 *
 * <p>The mix (weights in percent): FETCH of a header list for a window of 20 messages
 * ({@code FETCH a:b (UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO SUBJECT DATE MESSAGE-ID)])}) 30,
 * FETCH of one whole message ({@code BODY.PEEK[]}) 25, STORE +/-FLAGS of one message 15, SEARCH on a header
 * ({@code SEARCH HEADER SUBJECT word}) 7, SEARCH on the text ({@code SEARCH TEXT word}) 7, APPEND of a corpus
 * message to INBOX 8, IDLE held {@code --idle-millis} then DONE 8. IDLE is timed in two parts: until the
 * continuation ({@code IDLE}) and from DONE to the tagged OK ({@code DONE}); the hold is not counted.
 * {@code --without} drops commands from the mix (the others keep their relative weights). A command answered
 * other than OK counts as failed for that command; a session cut by an I/O error counts as a failed CONNECT and
 * the client starts a new session after 100 ms.
 *
 * <p>Client i logs in as account {@code (i mod users) + 1}: with fewer users than clients, several sessions of
 * one user see each other's APPENDs and flag changes, as a user's phone and laptop do.
 */
@Command(name = "imap-load", description = "Realistic IMAP session mix over N clients; commands/s and p50/p99 per command.")
final class ImapLoad implements Callable<Integer> {

    enum Op { CONNECT, LOGIN, SELECT, FETCH_HEADERS, FETCH_BODY, STORE, SEARCH_HEADER, SEARCH_TEXT, APPEND, IDLE, DONE, LOGOUT }

    private static final Map<Op, Integer> MIX_WEIGHTS = Map.of(Op.FETCH_HEADERS, 30, Op.FETCH_BODY, 25,
            Op.STORE, 15, Op.SEARCH_HEADER, 7, Op.SEARCH_TEXT, 7, Op.APPEND, 8, Op.IDLE, 8);
    private static final Pattern EXISTS = Pattern.compile("\\* (\\d+) EXISTS");
    private static final String[] SUBJECT_WORDS = {"re", "money", "free", "linux", "your", "new", "help", "list"};
    private static final String[] TEXT_WORDS = {"click", "razor", "spamassassin", "business", "python", "email",
        "remove", "software"};
    private static final String[] FLAGS = {"\\Seen", "\\Flagged", "\\Answered", "$Label1"};

    @Option(names = "--target", required = true, description = "Label of the server in the output (stratus, dovecot).")
    String target;
    @Option(names = "--host", defaultValue = "127.0.0.1") String host;
    @Option(names = "--port", required = true) int port;
    @Option(names = "--prefix", defaultValue = "bench") String prefix;
    @Option(names = "--domain", defaultValue = "bench.local") String domain;
    @Option(names = "--users", defaultValue = "16") int users;
    @Option(names = "--password", defaultValue = "bench-password") String password;
    @Option(names = "--clients", defaultValue = "16") int clients;
    @Option(names = "--seconds", defaultValue = "60") int seconds;
    @Option(names = "--commands-per-session", defaultValue = "20") int commandsPerSession;
    @Option(names = "--idle-millis", defaultValue = "200") int idleMillis;
    @Option(names = "--seed", defaultValue = "42") long seed;
    @Option(names = "--append-corpus", defaultValue = "500", description = "Corpus messages APPEND draws from.")
    int appendCorpus;
    @Option(names = "--without", split = ",", description = "Commands left out of the mix, e.g. SEARCH_HEADER,SEARCH_TEXT.")
    java.util.Set<Op> without = java.util.EnumSet.noneOf(Op.class);

    private Op[] mix;

    /** Latencies of one client, per command; merged at the end. */
    static final class Samples {
        final Map<Op, long[]> nanos = new EnumMap<>(Op.class);
        final Map<Op, Integer> counts = new EnumMap<>(Op.class);
        final Map<Op, Integer> failures = new EnumMap<>(Op.class);

        void add(Op op, long n, boolean ok) {
            int c = counts.getOrDefault(op, 0);
            long[] a = nanos.computeIfAbsent(op, k -> new long[1024]);
            if (c == a.length) {
                a = Arrays.copyOf(a, c * 2);
                nanos.put(op, a);
            }
            a[c] = n;
            counts.put(op, c + 1);
            if (!ok) {
                failures.merge(op, 1, Integer::sum);
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        Map<Op, Integer> weights = new EnumMap<>(MIX_WEIGHTS);
        weights.keySet().removeAll(without);
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("--without leaves no command in the mix");
        }
        mix = weighted(weights);
        List<byte[]> corpus = SpamAssassinCorpus.messages(appendCorpus);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        List<Future<Samples>> jobs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            jobs.add(pool.submit(() -> runClient(client, deadline, corpus)));
        }
        List<Samples> all = new ArrayList<>();
        for (Future<Samples> f : jobs) {
            all.add(f.get());
        }
        double secs = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        print(all, secs);
        return 0;
    }

    private Samples runClient(int client, long deadline, List<byte[]> corpus) throws InterruptedException {
        Samples s = new Samples();
        Random random = new Random(seed * 1_000_003L + client);
        String user = BenchAccounts.name(prefix, client % users + 1, domain);
        while (System.nanoTime() < deadline) {
            try {
                session(s, random, user, deadline, corpus);
            } catch (IOException e) {
                s.failures.merge(Op.CONNECT, 1, Integer::sum);
                Thread.sleep(100);
            }
        }
        return s;
    }

    private void session(Samples s, Random random, String user, long deadline, List<byte[]> corpus)
            throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        ImapClient c = new ImapClient(host, port);
        try {
            s.add(Op.CONNECT, System.nanoTime() - t0, true);
            timed(s, Op.LOGIN, c, "LOGIN \"" + user + "\" \"" + password + "\"");
            ImapClient.Response selected = timed(s, Op.SELECT, c, "SELECT INBOX");
            int exists = Math.max(1, exists(selected, 0));
            for (int i = 0; i < commandsPerSession && System.nanoTime() < deadline; i++) {
                Op op = mix[random.nextInt(mix.length)];
                ImapClient.Response r = switch (op) {
                    case FETCH_HEADERS -> {
                        int from = 1 + random.nextInt(Math.max(1, exists - 19));
                        yield timed(s, op, c, "FETCH " + from + ":" + Math.min(exists, from + 19)
                                + " (UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO SUBJECT DATE MESSAGE-ID)])");
                    }
                    case FETCH_BODY -> timed(s, op, c, "FETCH " + (1 + random.nextInt(exists)) + " BODY.PEEK[]");
                    case STORE -> timed(s, op, c, "STORE " + (1 + random.nextInt(exists))
                            + (random.nextBoolean() ? " +FLAGS (" : " -FLAGS (") + FLAGS[random.nextInt(FLAGS.length)] + ")");
                    case SEARCH_HEADER -> timed(s, op, c,
                            "SEARCH HEADER SUBJECT \"" + SUBJECT_WORDS[random.nextInt(SUBJECT_WORDS.length)] + "\"");
                    case SEARCH_TEXT -> timed(s, op, c,
                            "SEARCH TEXT \"" + TEXT_WORDS[random.nextInt(TEXT_WORDS.length)] + "\"");
                    case APPEND -> {
                        long a = System.nanoTime();
                        ImapClient.Response resp = c.commandWithLiteral("APPEND INBOX (\\Seen)",
                                corpus.get(random.nextInt(corpus.size())));
                        s.add(op, System.nanoTime() - a, resp.ok());
                        yield resp;
                    }
                    case IDLE -> {
                        ImapClient.IdleTiming t = c.idle(idleMillis);
                        s.add(Op.IDLE, t.continuationNanos(), t.doneNanos() > 0);
                        if (t.doneNanos() > 0) {
                            s.add(Op.DONE, t.doneNanos(), t.response().ok());
                        }
                        yield t.response();
                    }
                    default -> throw new IllegalStateException(op.name());
                };
                exists = exists(r, exists);
            }
            t0 = System.nanoTime();
            ImapClient.Response bye = c.command("LOGOUT");
            s.add(Op.LOGOUT, System.nanoTime() - t0, bye.ok());
        } finally {
            c.abort();
        }
    }

    private static ImapClient.Response timed(Samples s, Op op, ImapClient c, String command) throws IOException {
        long t0 = System.nanoTime();
        ImapClient.Response r = c.command(command);
        s.add(op, System.nanoTime() - t0, r.ok());
        return r;
    }

    /** The last EXISTS in the untagged data, or {@code current}: other sessions' APPENDs grow the mailbox. */
    private static int exists(ImapClient.Response r, int current) {
        Matcher m = EXISTS.matcher(new String(r.untagged(), StandardCharsets.ISO_8859_1));
        int n = current;
        while (m.find()) {
            n = Integer.parseInt(m.group(1));
        }
        return n;
    }

    private void print(List<Samples> all, double secs) {
        long total = 0;
        long failed = 0;
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%-14s %9s %9s %9s %9s %9s%n", "command", "count", "per_s",
                "p50_ms", "p99_ms", "failed"));
        for (Op op : Op.values()) {
            int n = all.stream().mapToInt(s -> s.counts.getOrDefault(op, 0)).sum();
            int f = all.stream().mapToInt(s -> s.failures.getOrDefault(op, 0)).sum();
            if (n == 0 && f == 0) {
                continue;
            }
            long[] merged = new long[n];
            int at = 0;
            for (Samples s : all) {
                int c = s.counts.getOrDefault(op, 0);
                if (c > 0) {
                    System.arraycopy(s.nanos.get(op), 0, merged, at, c);
                    at += c;
                }
            }
            Arrays.sort(merged);
            if (op != Op.CONNECT) {
                total += n;
            }
            failed += f;
            table.append(String.format(Locale.ROOT, "%-14s %9d %9.1f %9.2f %9.2f %9d%n", op.name(), n, n / secs,
                    percentile(merged, 0.50), percentile(merged, 0.99), f));
        }
        System.out.printf(Locale.ROOT, "imap-load target=%s clients=%d users=%d seconds=%.1f commands=%d "
                + "commands_per_s=%.1f failed=%d%s%n%s", target, clients, users, secs, total, total / secs, failed,
                without.isEmpty() ? "" : " without=" + without, table);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    private static Op[] weighted(Map<Op, Integer> weights) {
        List<Op> out = new ArrayList<>();
        for (Op op : Op.values()) { // in enum order, so the draw does not depend on Map.of's iteration order
            for (int i = 0; i < weights.getOrDefault(op, 0); i++) {
                out.add(op);
            }
        }
        return out.toArray(Op[]::new);
    }
}
