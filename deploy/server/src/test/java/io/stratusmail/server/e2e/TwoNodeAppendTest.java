package io.stratusmail.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.localcluster.CassandraEndpoint;
import io.stratusmail.localcluster.TestCluster;
import io.stratusmail.mailbox.user.Username;
import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Architecture invariant 4 across processes: two Stratus server processes (own JVMs, own Cassandra driver
 * sessions) receive 500 LMTP deliveries each for the same mailbox at the same time.
 */
class TwoNodeAppendTest {

    private static final int PER_NODE = 500;

    @TempDir
    Path work;
    private final List<Process> servers = new ArrayList<>();

    @AfterEach
    void stopServers() throws Exception {
        for (Process p : servers) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void twoServerProcessesAppendingToOneMailboxGiveDistinctAscendingUids() throws Exception {
        Username user = TestNode.newUser("race");
        InetSocketAddress lmtpA = startServer("a");
        InetSocketAddress lmtpB = startServer("b");

        List<byte[]> fromA = messages("a");
        List<byte[]> fromB = messages("b");
        List<List<String>> rcpts = java.util.Collections.nCopies(PER_NODE, List.of(user.value()));
        Path dirA = java.nio.file.Files.createDirectories(work.resolve("a"));
        Path dirB = java.nio.file.Files.createDirectories(work.resolve("b"));
        Path planA = Clients.plan(dirA, fromA, rcpts);
        Path planB = Clients.plan(dirB, fromB, rcpts);

        // A reader polls while both deliver: it must never see a new UID below one it has seen.
        AtomicBoolean delivering = new AtomicBoolean(true);
        AtomicReference<String> readerViolation = new AtomicReference<>();
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> pollUids(user, delivering, readerViolation));

        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> Clients.deliver(dirA, lmtpA, planA));
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> Clients.deliver(dirB, lmtpB, planB));
        CompletableFuture.allOf(a, b).get(10, TimeUnit.MINUTES);
        delivering.set(false);
        assertThat(reader.get(1, TimeUnit.MINUTES)).as("reader polls").isPositive();
        assertThat(readerViolation.get()).as("a reader saw a UID below one it had seen").isNull();

        Map<String, Long> uidByMessageId = new HashMap<>();
        try (Store store = Clients.angus(TestNode.shared().imapAddress(), user.value(), TestNode.password(user))) {
            Folder inbox = Clients.openInbox(store, Folder.READ_ONLY);
            Message[] all = inbox.getMessages();
            FetchProfile fp = new FetchProfile();
            fp.add(FetchProfile.Item.ENVELOPE);
            fp.add(UIDFolder.FetchProfileItem.UID);
            inbox.fetch(all, fp);
            for (Message m : all) {
                uidByMessageId.put(((jakarta.mail.internet.MimeMessage) m).getMessageID(), ((UIDFolder) inbox).getUID(m));
            }
            inbox.close(false);
        }
        assertThat(uidByMessageId).as("none lost").hasSize(2 * PER_NODE);
        assertThat(uidByMessageId.values()).as("distinct UIDs").doesNotHaveDuplicates()
                .allSatisfy(uid -> assertThat(uid).isBetween(1L, 2L * PER_NODE));
        // Each node's deliveries were sequential: their UIDs ascend in the order they were committed.
        for (String node : List.of("a", "b")) {
            long last = 0;
            for (int i = 0; i < PER_NODE; i++) {
                long uid = uidByMessageId.get(messageId(node, i));
                assertThat(uid).as("UID of %s's delivery %d", node, i).isGreaterThan(last);
                last = uid;
            }
        }
    }

    private int pollUids(Username user, AtomicBoolean delivering, AtomicReference<String> violation) {
        int polls = 0;
        try (Store store = Clients.angus(TestNode.shared().imapAddress(), user.value(), TestNode.password(user))) {
            java.util.Set<Long> seen = new java.util.HashSet<>();
            long highest = 0;
            while (delivering.get()) {
                Folder inbox = Clients.openInbox(store, Folder.READ_ONLY);
                Message[] msgs = inbox.getMessages();
                FetchProfile fp = new FetchProfile();
                fp.add(UIDFolder.FetchProfileItem.UID);
                inbox.fetch(msgs, fp);
                long newHighest = highest;
                for (Message m : msgs) {
                    long uid = ((UIDFolder) inbox).getUID(m);
                    if (seen.add(uid) && uid < highest) {
                        violation.compareAndSet(null, "UID " + uid + " appeared after " + highest);
                    }
                    newHighest = Math.max(newHighest, uid);
                }
                highest = newHighest;
                inbox.close(false);
                polls++;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return polls;
    }

    private static List<byte[]> messages(String node) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < PER_NODE; i++) {
            out.add(("Message-ID: " + messageId(node, i) + "\r\nFrom: race@example.org\r\nSubject: " + node + " " + i
                    + "\r\n\r\nbody " + i + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        return out;
    }

    private static String messageId(String node, int i) {
        return "<" + node + "-" + i + "@race.example>";
    }

    /** Starts {@code stratus serve --services lmtp} in its own JVM on the shared keyspace; returns its LMTP address. */
    private InetSocketAddress startServer(String name) throws Exception {
        CassandraEndpoint c = TestCluster.cassandra();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.stratusmail.server.Main", "serve", "--services", "lmtp",
                "--cassandra", c.host() + ":" + c.port(), "--datacenter", c.localDatacenter(), "--keyspace", TestNode.keyspace(),
                "--no-opensearch", "--lmtp-host", "127.0.0.1", "--lmtp-port", "0", "--hostname", "node-" + name)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        servers.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
            seen.append(line).append('\n');
            if (line.startsWith("READY ")) {
                String hp = line.replaceAll(".*lmtp=(\\S+).*", "$1");
                int colon = hp.lastIndexOf(':');
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "drain-" + name);
                drain.setDaemon(true);
                drain.start();
                return new InetSocketAddress(hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1)));
            }
        }
        throw new IllegalStateException("server " + name + " did not start:\n" + seen);
    }
}
