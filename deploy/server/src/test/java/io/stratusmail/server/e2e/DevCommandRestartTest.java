package io.stratusmail.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.localcluster.FreePorts;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README command 1 as a user runs it: {@code ./stratus dev} from the repository root starts the whole system,
 * prints {@code READY}, serves mail, stops cleanly on SIGTERM leaving no engine process, and after a restart
 * on the same data directory every message, flag and the UIDVALIDITY are unchanged.
 */
class DevCommandRestartTest {

    private static final Path REPO = Path.of("").toAbsolutePath().getParent().getParent();

    @TempDir
    Path work;
    private Process dev;

    @AfterEach
    void stop() throws Exception {
        if (dev != null && dev.isAlive()) {
            dev.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void devStackKeepsMessagesFlagsAndUidValidityAcrossRestart() throws Exception {
        Path dataDir = work.resolve("data");
        int[] ports = FreePorts.find(7);
        List<String> args = List.of("dev", "--data-dir", dataDir.toString(),
                "--imap-port", "" + ports[0], "--lmtp-port", "" + ports[1],
                "--cassandra-port", "" + ports[2], "--cassandra-storage-port", "" + ports[3],
                "--opensearch-port", "" + ports[4], "--opensearch-transport-port", "" + ports[5],
                "--imaps-port", "" + ports[6],
                "--user", "carol@example.test", "--password", "carol-pw");
        InetSocketAddress imap = new InetSocketAddress("127.0.0.1", ports[0]);
        InetSocketAddress lmtp = new InetSocketAddress("127.0.0.1", ports[1]);

        String ready = startDev(args);
        assertThat(ready).isEqualTo("READY imap=127.0.0.1:" + ports[0] + " lmtp=127.0.0.1:" + ports[1]);
        List<byte[]> mail = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            mail.add(("From: x@example.org\r\nSubject: restart " + i + "\r\n\r\nbody " + i + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        Clients.deliver(work, lmtp, Clients.plan(work, mail, java.util.Collections.nCopies(3, List.of("carol@example.test"))));
        long uidValidity;
        List<Long> uids = new ArrayList<>();
        try (Store store = Clients.angus(imap, "carol@example.test", "carol-pw".toCharArray())) {
            Folder inbox = Clients.openInbox(store, Folder.READ_WRITE);
            uidValidity = ((UIDFolder) inbox).getUIDValidity();
            inbox.getMessage(2).setFlag(Flags.Flag.FLAGGED, true);
            inbox.getMessage(3).setFlag(Flags.Flag.SEEN, true);
            for (Message m : inbox.getMessages()) {
                uids.add(((UIDFolder) inbox).getUID(m));
            }
            inbox.close(false);
        }

        // IMAPS with the self-signed certificate kept in the data dir
        java.util.Properties props = new java.util.Properties();
        props.setProperty("mail.imaps.ssl.trust", "127.0.0.1");
        props.setProperty("mail.imaps.ssl.checkserveridentity", "false");
        try (Store imaps = jakarta.mail.Session.getInstance(props).getStore("imaps")) {
            imaps.connect("127.0.0.1", ports[6], "carol@example.test", "carol-pw");
            Folder inbox = Clients.openInbox(imaps, Folder.READ_ONLY);
            assertThat(inbox.getMessageCount()).isEqualTo(3);
            inbox.close(false);
        }
        assertThat(dataDir.resolve("tls").resolve("tls-cert.pem")).exists();

        long pid = dev.pid();
        List<ProcessHandle> engines = dev.descendants().toList();
        assertThat(engines).as("engines run as child processes").isNotEmpty();
        dev.destroy(); // SIGTERM, as Ctrl-C or a service manager would
        assertThat(dev.waitFor(90, TimeUnit.SECONDS)).as("stratus dev %d exits on SIGTERM", pid).isTrue();
        for (ProcessHandle engine : engines) {
            engine.onExit().get(30, TimeUnit.SECONDS);
            assertThat(engine.isAlive()).as("engine %d left running", engine.pid()).isFalse();
        }

        startDev(args);
        try (Store store = Clients.angus(imap, "carol@example.test", "carol-pw".toCharArray())) {
            Folder inbox = Clients.openInbox(store, Folder.READ_ONLY);
            assertThat(((UIDFolder) inbox).getUIDValidity()).isEqualTo(uidValidity);
            assertThat(inbox.getMessageCount()).isEqualTo(3);
            List<Long> after = new ArrayList<>();
            for (Message m : inbox.getMessages()) {
                after.add(((UIDFolder) inbox).getUID(m));
            }
            assertThat(after).isEqualTo(uids);
            assertThat(inbox.getMessage(1).getFlags().getSystemFlags()).isEmpty();
            assertThat(inbox.getMessage(2).isSet(Flags.Flag.FLAGGED)).isTrue();
            assertThat(inbox.getMessage(3).isSet(Flags.Flag.SEEN)).isTrue();
            assertThat(inbox.getMessage(2).getSubject()).isEqualTo("restart 2");
            inbox.close(false);
        }
    }

    /** Runs {@code ./stratus dev ...} and returns its READY line. */
    private String startDev(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(REPO.resolve("stratus").toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(REPO.toFile()).redirectErrorStream(true);
        pb.environment().put("STRATUS_SKIP_BUILD", "1");
        dev = pb.start();
        Path log = work.resolve("dev-" + dev.pid() + ".log");
        BufferedReader out = new BufferedReader(new InputStreamReader(dev.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.startsWith("READY ")) {
                Thread drain = new Thread(() -> {
                    try {
                        Files.write(log, (Iterable<String>) out.lines()::iterator);
                    } catch (Exception ignored) {
                        // the process ended
                    }
                }, "dev-output");
                drain.setDaemon(true);
                drain.start();
                return line;
            }
        }
        throw new IllegalStateException("stratus dev did not print READY:\n" + seen);
    }
}
