package io.stratusmail.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.user.Username;
import io.stratusmail.server.node.NodeConfig;
import io.stratusmail.server.node.StratusNode;
import io.stratusmail.server.node.TlsSettings;
import io.stratusmail.server.node.hints.HintSettings;
import io.stratusmail.server.node.hints.HintTransport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cross-node change hints (issue 4 item 2, issue 5 item 3) with two nodes on one keyspace: an IMAP-only node A
 * whose IDLE poll is 5 minutes, and an LMTP-only node B. A delivery through B reaches the session idling on A
 * within seconds, carried by one UDP datagram; junk datagrams are counted and dropped; a node that stops leaves
 * its peers' lists.
 */
class HintsEndToEndTest {

    private static final Duration POLL = Duration.ofMinutes(5);
    private final List<StratusNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(StratusNode::close);
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private StratusNode start(String keyspace, NodeConfig.Service service) throws Exception {
        HintSettings hints = HintSettings.of(freeUdpPort(), "127.0.0.1").withIdlePollInterval(POLL);
        StratusNode node = StratusNode.start(TestNode.config(keyspace, EnumSet.of(service)), TlsSettings.NONE, hints);
        nodes.add(node);
        return node;
    }

    private static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void lmtpDeliveryOnOneNodeWakesAnImapIdleOnAnotherAndStoppedNodesLeaveThePeerList() throws Exception {
        String keyspace = "stratus_hints_" + UUID.randomUUID().toString().substring(0, 8);
        StratusNode imapNode = start(keyspace, NodeConfig.Service.IMAP);
        StratusNode lmtpNode = start(keyspace, NodeConfig.Service.LMTP);
        HintTransport imapHints = imapNode.hints().orElseThrow();
        HintTransport lmtpHints = lmtpNode.hints().orElseThrow();
        InetSocketAddress imapHintAddress = new InetSocketAddress("127.0.0.1", imapHints.self().hintPort());
        assertThat(lmtpHints.peers()).as("a node knows the live peers when it has started")
                .containsExactly(imapHintAddress);

        Username user = Username.of("idle-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test");
        imapNode.accounts().createOrUpdate(user, "secret".toCharArray()).toCompletableFuture().get();

        // Junk on the hint port is counted and dropped; the node keeps working.
        try (DatagramSocket junk = new DatagramSocket()) {
            for (byte[] payload : List.of(new byte[0], new byte[27], "SH\u0001short".getBytes(StandardCharsets.US_ASCII),
                    new byte[1400])) {
                junk.send(new DatagramPacket(payload, payload.length, imapHintAddress));
            }
        }
        await("junk datagrams counted", Duration.ofSeconds(5), () -> imapHints.invalid() == 4);

        try (ImapSession imap = new ImapSession(imapNode.imapAddress())) {
            assertThat(imap.send("a1 LOGIN " + user.value() + " secret")).last().asString().startsWith("a1 OK");
            assertThat(imap.send("a2 SELECT INBOX")).contains("* 0 EXISTS");
            imap.write("a3 IDLE\r\n");
            assertThat(imap.readLine()).isEqualTo("+ idling");

            long start = System.nanoTime();
            deliver(lmtpNode.lmtpAddress(), user.value());
            assertThat(imap.readLine()).isEqualTo("* 1 EXISTS");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("long before the 5-minute poll")
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(lmtpHints.sent()).isPositive();
            assertThat(imapHints.received()).isPositive();

            imap.write("DONE\r\n");
            assertThat(imap.readUntilTagged("a3")).last().asString().startsWith("a3 OK");
        }

        imapNode.close();
        nodes.remove(imapNode);
        await("the stopped node left the peer list", HintSettings.DEFAULT_PEER_REFRESH.multipliedBy(3),
                () -> lmtpHints.peers().isEmpty());
    }

    /** One LMTP transaction (RFC 2033) with a plain socket: every reply must be 2xx/3xx. */
    private static void deliver(InetSocketAddress lmtp, String recipient) throws Exception {
        try (Socket s = new Socket(lmtp.getAddress(), lmtp.getPort())) {
            s.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            expect(in, "220");
            for (String[] step : new String[][] {{"LHLO client.test", "250"}, {"MAIL FROM:<a@example.org>", "250"},
                    {"RCPT TO:<" + recipient + ">", "250"}, {"DATA", "354"}}) {
                out.write((step[0] + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                expect(in, step[1]);
            }
            out.write(("From: a@example.org\r\nTo: " + recipient + "\r\nSubject: hint\r\n\r\nhello\r\n.\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            expect(in, "250");
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    /** Reads one (possibly multi-line) reply and checks its code. */
    private static void expect(BufferedReader in, String code) throws Exception {
        String line;
        do {
            line = in.readLine();
            assertThat(line).as("LMTP reply").isNotNull().startsWith(code);
        } while (line.length() > 3 && line.charAt(3) == '-');
    }
}
