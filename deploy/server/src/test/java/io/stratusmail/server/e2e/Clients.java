package io.stratusmail.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** Real clients driven from tests: Python's smtplib.LMTP and imaplib, and Angus Mail. */
final class Clients {

    private Clients() {
    }

    /** Runs a Python client script from test resources; returns its stdout lines; fails on a non-zero exit. */
    static List<String> python(Path workDir, String script, String... args) {
        try {
            Path file = workDir.resolve(script);
            try (InputStream in = Clients.class.getResourceAsStream("/clients/" + script)) {
                Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> cmd = new ArrayList<>(List.of("python3", file.toString()));
            cmd.addAll(List.of(args));
            Path log = workDir.resolve(script + ".out");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(script + " timed out");
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("%s exit code; output tail: %s", script,
                    lines.subList(Math.max(0, lines.size() - 20), lines.size())).isZero();
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Writes one delivery plan line per message for lmtp_deliver.py. */
    static Path plan(Path dir, List<byte[]> messages, List<List<String>> recipients) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Path eml = dir.resolve(String.format("%05d.eml", i));
            Files.write(eml, messages.get(i));
            lines.add(eml + " " + String.join(",", recipients.get(i)));
        }
        Path plan = dir.resolve("plan-" + System.nanoTime() + ".txt");
        Files.write(plan, lines);
        return plan;
    }

    /** Delivers with Python's smtplib.LMTP; asserts every recipient got a 250. */
    static void deliver(Path workDir, InetSocketAddress lmtp, Path plan) {
        List<String> out = python(workDir, "lmtp_deliver.py", lmtp.getHostString(), "" + lmtp.getPort(), plan.toString());
        assertThat(out).allSatisfy(line -> assertThat(line).doesNotContainPattern("=[^2]\\d\\d"));
    }

    /** A connected Angus Mail IMAP store. */
    static Store angus(InetSocketAddress imap, String user, char[] password) throws Exception {
        return angus(imap, user, password, null);
    }

    /**
     * A connected Angus Mail IMAP store whose protocol trace (commands and responses, without credentials) goes
     * to {@code protocolTrace}, e.g. to see that an IDLE is in progress; {@code null} for none.
     */
    static Store angus(InetSocketAddress imap, String user, char[] password, PrintStream protocolTrace)
            throws Exception {
        Properties props = new Properties();
        props.setProperty("mail.imap.connectiontimeout", "10000");
        props.setProperty("mail.imap.timeout", "120000");
        props.setProperty("mail.imap.partialfetch", "false");
        Session session = Session.getInstance(props);
        if (protocolTrace != null) {
            session.setDebugOut(protocolTrace);
            session.setDebug(true);
        }
        Store store = session.getStore("imap");
        store.connect(imap.getHostString(), imap.getPort(), user, new String(password));
        return store;
    }

    static Folder openInbox(Store store, int mode) throws Exception {
        Folder inbox = store.getFolder("INBOX");
        inbox.open(mode);
        return inbox;
    }
}
