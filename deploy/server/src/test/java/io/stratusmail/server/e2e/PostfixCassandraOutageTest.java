package io.stratusmail.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.localcluster.CassandraEndpoint;
import io.stratusmail.localcluster.Engine;
import io.stratusmail.localcluster.LocalCluster;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.server.node.NodeConfig;
import io.stratusmail.server.node.StratusNode;
import io.stratusmail.storage.cassandra.cql.CqlSessions;
import io.stratusmail.storage.cassandra.verify.StoreVerifier;
import io.stratusmail.storage.cassandra.verify.VerifySummary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's fault acceptance: Cassandra is killed (SIGKILL) while a real Postfix delivers a batch to Stratus by
 * LMTP. Postfix must defer with {@code 451 4.3.0} and bounce nothing; every recipient acknowledged with
 * {@code 250} before the kill must have its message after Cassandra's restart (architecture invariant 3); the
 * node must come back by itself (IMAP answers {@code NO [UNAVAILABLE]} during the outage and works after it, on
 * the same connection); after {@code postqueue -f} the queue empties and every message is in each of its
 * recipients' INBOX exactly once, although Postfix retried the deferred recipients of multi-recipient messages
 * and the kill cut conditional appends short; and the store verifier finds nothing wrong.
 *
 * <p>Runs its own single Cassandra node (it is killed, so never the build's shared one) with a small heap under
 * {@code target/}, a Stratus node with IMAP and LMTP and no index, and a private Postfix instance (Debian's
 * postfix, installed by {@code postfix/install.sh}; needs root). Everything is stopped in {@link #stopAll()},
 * also when the test fails.
 */
class PostfixCassandraOutageTest {

    private static final String DOMAIN = "example.test";
    private static final String KEYSPACE = "stratus_outage";
    private static final int USERS = 5;
    private static final int MESSAGES = 200;
    /** Postfix lmtp "sent" lines seen before Cassandra is killed: part of the batch is delivered, the rest not. */
    private static final int SENT_BEFORE_KILL = 60;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static final Pattern QUEUED = Pattern.compile("^queued (\\d+) ([0-9A-F]+)$");
    private static final Pattern LMTP_SENT = Pattern.compile(
            "postfix/lmtp\\[\\d+\\]: ([0-9A-F]+): to=<([^>]+)>, .*status=sent \\(250 2\\.0\\.0 ");
    private static final Pattern LMTP_DEFERRED = Pattern.compile(
            "postfix/lmtp\\[\\d+\\]: ([0-9A-F]+): to=<([^>]+)>, .*status=deferred \\((.*)\\)$");
    private static final Pattern STRATUS_451 = Pattern.compile("said: 451 4\\.3\\.0 ");
    private static final Pattern BOUNCED = Pattern.compile("status=(bounced|expired)");
    private static final Pattern ACTIVE_ENTRY = Pattern.compile("(?m)^[0-9A-F]+\\*");
    private static final Pattern X_SEQ = Pattern.compile("^X-Seq: (\\d+)$");

    private static Path cassandraDirectory;
    private static LocalCluster cassandra;
    private static CassandraEndpoint endpoint;
    private static NodeConfig nodeConfig;
    private static StratusNode node;
    private static PostfixInstance postfix;
    private static final List<Username> users = new ArrayList<>();

    @TempDir
    Path work;

    @BeforeAll
    static void startCassandraStratusAndPostfix() throws Exception {
        cassandraDirectory = Files.createDirectories(Path.of("target")).toAbsolutePath()
                .resolve("outage-cassandra-" + System.nanoTime());
        // no throwawayData: the node is killed and must start again on the same data; a durable commit log: one
        // node with replication factor 1 keeps what it acknowledged only if it syncs before acknowledging
        cassandra = LocalCluster.builder(cassandraDirectory).engines(Engine.CASSANDRA).freePorts()
                .testSpeedFlags(true).durableCommitLog(true).cassandraHeapMiB(256, 768)
                .startTimeout(Duration.ofSeconds(180)).build();
        endpoint = cassandra.start().cassandra().orElseThrow();
        nodeConfig = new NodeConfig(endpoint.host() + ":" + endpoint.port(), endpoint.localDatacenter(), KEYSPACE, 1,
                null, EnumSet.allOf(NodeConfig.Service.class), "127.0.0.1", 0, "127.0.0.1", 0, "stratus-outage");
        node = StratusNode.start(nodeConfig);
        Map<String, String> transports = new LinkedHashMap<>();
        for (int i = 0; i < USERS; i++) {
            Username user = Username.of("rcpt" + i + "@" + DOMAIN);
            node.accounts().createOrUpdate(user, password(user)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            users.add(user);
            transports.put(user.value(), "lmtp:inet:127.0.0.1:" + node.lmtpAddress().getPort());
        }
        postfix = PostfixInstance.start(DOMAIN, transports);
    }

    @AfterAll
    static void stopAll() {
        try (AutoCloseable c = () -> deleteTree(cassandraDirectory);
             AutoCloseable a = cassandra == null ? null : cassandra;
             AutoCloseable b = node == null ? null : node;
             AutoCloseable p = postfix == null ? null : postfix) {
            // closed in reverse order: Postfix, the node, Cassandra, then its directory
        } catch (Exception e) {
            throw new IllegalStateException("cleanup failed", e);
        }
    }

    @Test
    void cassandraKilledWhilePostfixDeliversABatchThenRestartedAndFlushedDeliversEveryMessageExactlyOnce()
            throws Exception {
        Map<Integer, List<Username>> plan = plan();
        Path planFile = writePlan(plan);
        try (ImapSession watcher = new ImapSession(node.imapAddress())) {
            assertThat(last(watcher.send("w1 LOGIN " + users.get(0).value() + " " + new String(password(users.get(0))))))
                    .startsWith("w1 OK");
            assertThat(last(watcher.send("w2 SELECT INBOX"))).startsWith("w2 OK");

            // the batch goes in over SMTP while Postfix delivers it over LMTP
            Path submitted = work.resolve("submitted.txt");
            Process submit = submitBatch(planFile, submitted);
            awaitCount(LMTP_SENT, SENT_BEFORE_KILL);

            cassandra.kill();
            List<String> logAtKill = postfix.log();

            // the node answers, IMAP with NO [UNAVAILABLE] on an open connection
            assertThat(last(watcher.send("w3 STATUS INBOX (MESSAGES)")))
                    .startsWith("w3 NO [UNAVAILABLE]");

            assertThat(submit.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("smtp_batch.py finished").isTrue();
            assertThat(submit.exitValue()).as(Files.readString(submitted)).isZero();
            Map<String, Integer> keyOfQueueId = queueIds(submitted);
            assertThat(keyOfQueueId).hasSize(MESSAGES);

            // Postfix defers, Stratus saying 451 4.3.0, and keeps the rest queued; nothing bounces
            awaitNoActiveDelivery();
            List<String> deferred = postfix.logLines(LMTP_DEFERRED);
            assertThat(deferred).as("deferrals").isNotEmpty();
            assertThat(deferred).as("deferrals with Stratus' 451 4.3.0")
                    .anyMatch(line -> STRATUS_451.matcher(line).find());
            assertThat(postfix.queue()).doesNotContain("Mail queue is empty");
            assertThat(postfix.logLines(BOUNCED)).isEmpty();

            // the same data directory and ports: commit log replayed
            assertThat(cassandra.start().cassandra()).contains(endpoint);

            // the node reconnects by itself: the same IMAP connection works again
            long back = System.nanoTime();
            awaitImapAgain(watcher);
            long reconnectMillis = (System.nanoTime() - back) / 1_000_000;

            // every recipient acknowledged before the kill has the message (acknowledged means durable)
            Map<Username, Map<Integer, Integer>> afterRestart = readAllInboxes();
            for (String line : logAtKill) {
                Matcher sent = LMTP_SENT.matcher(line);
                if (sent.find()) {
                    Integer key = keyOfQueueId.get(sent.group(1));
                    assertThat(key).as("queue id of %s", line).isNotNull();
                    assertThat(afterRestart.get(Username.of(sent.group(2)))).as("acknowledged before the kill: %s", line)
                            .containsKey(key);
                }
            }

            // the queue flushed: everything delivered, every message exactly once per recipient
            flushUntilEmpty();
            Map<Username, Map<Integer, Integer>> delivered = readAllInboxes();
            // the store is consistent: counters, registry, rows and blobs agree
            List<String> findings = verify();
            for (Username user : users) {
                Map<Integer, Integer> expected = new TreeMap<>();
                plan.forEach((key, rcpts) -> {
                    if (rcpts.contains(user)) {
                        expected.put(key, 1);
                    }
                });
                assertThat(delivered.get(user)).as("X-Seq -> copies in the INBOX of %s (reconnect took %d ms, "
                        + "verifier findings %s)", user, reconnectMillis, findings).isEqualTo(expected);
            }
            assertThat(findings).isEmpty();
            assertThat(postfix.logLines(BOUNCED)).isEmpty();
            // (the selected INBOX of this connection also reports its new messages, RFC 9051 section 7.4.1)
            assertThat(watcher.send("w9 STATUS INBOX (MESSAGES)"))
                    .contains("* STATUS INBOX (MESSAGES " + delivered.get(users.get(0)).size() + ")");
        }
    }

    /** {@link StoreVerifier} over the whole keyspace: its problem lines (none when clean). */
    private static List<String> verify() {
        List<String> findings = new ArrayList<>();
        try (CqlSession session = CqlSessions.open(new CqlSessions.Settings(endpoint.host() + ":" + endpoint.port(),
                endpoint.localDatacenter(), Duration.ofSeconds(30)))) {
            VerifySummary summary = StoreVerifier.prepare(session, nodeConfig.storeConfig())
                    .run(null, false, f -> findings.add(f.line()), u -> {
                    });
            assertThat(summary.users()).isEqualTo(USERS);
            if (!summary.clean()) {
                findings.add(summary.line());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return findings;
    }

    /** Message key (its X-Seq) to recipients: most to one user, every third to two, every seventh to three. */
    private static Map<Integer, List<Username>> plan() {
        Map<Integer, List<Username>> plan = new LinkedHashMap<>();
        for (int i = 0; i < MESSAGES; i++) {
            int count = i % 7 == 0 ? 3 : i % 3 == 0 ? 2 : 1;
            List<Username> rcpts = new ArrayList<>();
            for (int r = 0; r < count; r++) {
                rcpts.add(users.get((i + r) % USERS));
            }
            plan.put(i, rcpts);
        }
        return plan;
    }

    /** Writes each message (a few of about 1.5 MB) and the plan smtp_batch.py reads. */
    private Path writePlan(Map<Integer, List<Username>> plan) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<Integer, List<Username>> e : plan.entrySet()) {
            int key = e.getKey();
            StringBuilder m = new StringBuilder()
                    .append("From: Sender <sender@example.org>\r\n")
                    .append("To: undisclosed-recipients:;\r\n")
                    .append("Subject: outage batch message ").append(key).append("\r\n")
                    .append("Message-ID: <outage-").append(key).append('-').append(System.nanoTime())
                    .append("@client.example.test>\r\n")
                    .append("X-Seq: ").append(key).append("\r\n")
                    .append("Date: Sun, 22 Nov 2026 10:00:00 +0000\r\n")
                    .append("MIME-Version: 1.0\r\n")
                    .append("Content-Type: text/plain; charset=us-ascii\r\n")
                    .append("\r\n")
                    .append("Message ").append(key).append(" of the batch delivered through a Cassandra outage.\r\n");
            int bodyLines = key % 50 == 25 ? 20_000 : 3;
            for (int l = 0; l < bodyLines; l++) {
                m.append("line ").append(l).append(" of message ").append(key)
                        .append(" abcdefghijklmnopqrstuvwxyz0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ\r\n");
            }
            Path eml = Files.writeString(work.resolve("m" + key + ".eml"), m, StandardCharsets.US_ASCII);
            lines.add(key + "\t" + String.join(",", e.getValue().stream().map(Username::value).toList()) + "\t" + eml);
        }
        return Files.write(work.resolve("plan.tsv"), lines, StandardCharsets.UTF_8);
    }

    private Process submitBatch(Path planFile, Path output) throws IOException {
        Path script = work.resolve("smtp_batch.py");
        try (InputStream in = PostfixCassandraOutageTest.class.getResourceAsStream("/postfix/smtp_batch.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        return new ProcessBuilder("python3", script.toString(), "127.0.0.1", Integer.toString(postfix.smtp().getPort()),
                "sender@example.org", planFile.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static Map<String, Integer> queueIds(Path submitted) throws IOException {
        Map<String, Integer> keys = new HashMap<>();
        for (String line : Files.readAllLines(submitted)) {
            Matcher m = QUEUED.matcher(line.strip());
            assertThat(m.matches()).as(line).isTrue();
            keys.put(m.group(2), Integer.parseInt(m.group(1)));
        }
        return keys;
    }

    private static void awaitCount(Pattern pattern, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (postfix.logLines(pattern).size() < count) {
            assertThat(System.nanoTime()).as("%d Postfix log lines matching %s", count, pattern).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Waits until the queue holds no message in delivery (the deferred ones wait for a retry). */
    private static void awaitNoActiveDelivery() throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        int quiet = 0;
        while (quiet < 3) {
            assertThat(System.nanoTime()).as("Postfix still delivering: %s", postfix.queue()).isLessThan(deadline);
            quiet = ACTIVE_ENTRY.matcher(postfix.queue()).find() ? 0 : quiet + 1;
            Thread.sleep(500);
        }
    }

    private static String last(List<String> lines) {
        return lines.get(lines.size() - 1);
    }

    private static void awaitImapAgain(ImapSession watcher) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (int i = 0; ; i++) {
            List<String> answer = watcher.send("r" + i + " STATUS INBOX (MESSAGES)");
            if (answer.get(answer.size() - 1).startsWith("r" + i + " OK")) {
                return;
            }
            assertThat(answer.get(answer.size() - 1)).startsWith("r" + i + " NO [UNAVAILABLE]");
            assertThat(System.nanoTime()).as("IMAP still unavailable after Cassandra's restart").isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    /** {@code postqueue -f} until the queue is empty (each flush retries every deferred message now). */
    private static void flushUntilEmpty() throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        postfix.flush();
        long lastFlush = System.nanoTime();
        while (!postfix.queue().contains("Mail queue is empty")) {
            assertThat(System.nanoTime()).as("Postfix queue not empty: %s", postfix.queue()).isLessThan(deadline);
            if (System.nanoTime() - lastFlush > TimeUnit.SECONDS.toNanos(10)) {
                postfix.flush();
                lastFlush = System.nanoTime();
            }
            Thread.sleep(200);
        }
    }

    /** Each user's INBOX over IMAP: X-Seq to the number of messages carrying it; -1 counts those without one. */
    private static Map<Username, Map<Integer, Integer>> readAllInboxes() throws IOException {
        Map<Username, Map<Integer, Integer>> out = new HashMap<>();
        for (Username user : users) {
            Map<Integer, Integer> copies = new TreeMap<>();
            try (ImapSession imap = new ImapSession(node.imapAddress())) {
                assertThat(last(imap.send("a LOGIN " + user.value() + " " + new String(password(user)))))
                        .startsWith("a OK");
                assertThat(last(imap.send("b SELECT INBOX"))).startsWith("b OK");
                List<String> fetched = imap.send("c UID FETCH 1:* (BODY.PEEK[HEADER.FIELDS (X-Seq)])");
                assertThat(last(fetched)).startsWith("c OK");
                long messages = fetched.stream().filter(line -> line.matches("^\\* \\d+ FETCH .*")).count();
                for (String line : fetched) {
                    Matcher m = X_SEQ.matcher(line);
                    if (m.matches()) {
                        copies.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
                        messages--;
                    }
                }
                if (messages != 0) {
                    copies.put(-1, (int) messages); // messages without a readable X-Seq field
                }
                imap.send("d LOGOUT");
            }
            out.put(user, copies);
        }
        return out;
    }

    private static char[] password(Username user) {
        return ("secret-" + user.value().substring(0, user.value().indexOf('@'))).toCharArray();
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
