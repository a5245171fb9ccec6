package io.stratusmail.server.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A private Postfix instance (Debian's postfix package, installed by {@code postfix/install.sh}) for tests:
 * its own configuration, queue, data directory and log file under one directory in {@code /tmp}, an smtpd on a
 * free loopback port, and delivery by LMTP to the addresses a transport map names. Nothing of the system's
 * Postfix configuration is used or changed; nothing listens outside 127.0.0.1.
 *
 * <p>The master daemon runs as root (Postfix's design); the instance is therefore usable only when the tests run
 * as root, and {@link #start} fails with the reason otherwise.
 */
final class PostfixInstance implements AutoCloseable {

    /** Where Debian installs the Postfix commands. */
    private static final Path POSTFIX = Path.of("/usr/sbin/postfix");
    private static final Path POSTCONF = Path.of("/usr/sbin/postconf");
    private static final Path POSTQUEUE = Path.of("/usr/sbin/postqueue");
    static final String HOSTNAME = "mx.example.test";

    private final Path dir;
    private final Path config;
    private final Path maillog;
    private final int smtpPort;
    private final Thread shutdownHook;

    private PostfixInstance(Path dir, int smtpPort) {
        this.dir = dir;
        this.config = dir.resolve("conf");
        this.maillog = dir.resolve("log/maillog");
        this.smtpPort = smtpPort;
        this.shutdownHook = new Thread(this::stop, "postfix-stop");
    }

    /**
     * Starts an instance that accepts mail for {@code domain} over SMTP and hands each recipient listed in
     * {@code transports} to its transport (such as {@code lmtp:inet:127.0.0.1:2424}); other recipients are
     * refused by the error transport.
     *
     * @throws IllegalStateException when Postfix is not installed, the tests do not run as root, or the instance
     *                               does not come up (the message says which, with Postfix's own output)
     */
    static PostfixInstance start(String domain, Map<String, String> transports) throws IOException {
        if (!Files.isExecutable(POSTFIX) || !Files.isExecutable(POSTQUEUE) || !Files.isExecutable(POSTCONF)) {
            throw new IllegalStateException("Postfix is not installed (no " + POSTFIX + "): run "
                    + "deploy/server/src/test/resources/postfix/install.sh as root first (.ci/run does)");
        }
        String uid = run(Duration.ofSeconds(10), "id", "-u").trim();
        if (!uid.equals("0")) {
            throw new IllegalStateException("a Postfix instance needs root (its master daemon runs as root and "
                    + "drops to the postfix user); these tests run as uid " + uid);
        }
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "stratus-postfix-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        // the daemons run as user postfix: they must be able to reach the queue below this directory
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        PostfixInstance postfix = new PostfixInstance(dir, freePort());
        postfix.configure(domain, transports);
        Runtime.getRuntime().addShutdownHook(postfix.shutdownHook);
        String out = postfix.postfix("start");
        postfix.awaitSmtp(out);
        return postfix;
    }

    private void configure(String domain, Map<String, String> transports) throws IOException {
        for (String sub : List.of("conf", "queue", "data", "log")) {
            Files.createDirectories(dir.resolve(sub));
        }
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(dir.resolve("data"), users.lookupPrincipalByName("postfix"));
        List<String> transportLines = new ArrayList<>();
        transports.forEach((recipient, transport) -> transportLines.add(recipient + " " + transport));
        Files.write(config.resolve("transport"), transportLines);
        Files.writeString(config.resolve("main.cf"), String.join("\n",
                "compatibility_level = 3.6",
                "meta_directory = /etc/postfix",
                "queue_directory = " + dir.resolve("queue"),
                "data_directory = " + dir.resolve("data"),
                "maillog_file = " + maillog,
                "maillog_file_prefixes = " + dir,
                "inet_interfaces = 127.0.0.1",
                "inet_protocols = ipv4",
                "myhostname = " + HOSTNAME,
                "mydomain = " + domain,
                "myorigin = " + domain,
                "mydestination = " + domain,
                "mynetworks = 127.0.0.0/8",
                "smtputf8_enable = yes",
                // every recipient of the domain is accepted; the transport map routes the known ones to LMTP
                "local_recipient_maps =",
                "alias_maps =",
                "alias_database =",
                "transport_maps = texthash:" + config.resolve("transport"),
                "local_transport = error:5.1.1 no such test recipient",
                "default_transport = error:5.7.1 no outbound mail from tests",
                "relay_transport = error:5.7.1 no relaying from tests",
                "biff = no",
                ""));
        // every service unchrooted, so no copies of system files are needed in the queue directory
        Files.writeString(config.resolve("master.cf"), String.join("\n",
                "127.0.0.1:" + smtpPort + " inet n - n - - smtpd",
                "pickup    unix  n - n 60   1 pickup",
                "cleanup   unix  n - n -    0 cleanup",
                "qmgr      unix  n - n 300  1 qmgr",
                "rewrite   unix  - - n -    - trivial-rewrite",
                "bounce    unix  - - n -    0 bounce",
                "defer     unix  - - n -    0 bounce",
                "trace     unix  - - n -    0 bounce",
                "verify    unix  - - n -    1 verify",
                "flush     unix  n - n 1000? 0 flush",
                "proxymap  unix  - - n -    - proxymap",
                "showq     unix  n - n -    - showq",
                "error     unix  - - n -    - error",
                "retry     unix  - - n -    - error",
                "discard   unix  - - n -    - discard",
                "lmtp      unix  - - n -    - lmtp",
                "anvil     unix  - - n -    1 anvil",
                "scache    unix  - - n -    1 scache",
                "postlog   unix-dgram n - n - 1 postlogd",
                ""));
    }

    /** The loopback address Postfix's smtpd listens on. */
    InetSocketAddress smtp() {
        return new InetSocketAddress("127.0.0.1", smtpPort);
    }

    /** The configuration directory (what {@code postfix -c} and {@code postqueue -c} take). */
    Path configDirectory() {
        return config;
    }

    /** The instance's log lines so far. */
    List<String> log() {
        try {
            return Files.exists(maillog) ? Files.readAllLines(maillog, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until a log line matches {@code pattern} (found anywhere in the line); returns that line. */
    String awaitLog(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String line : log()) {
                if (pattern.matcher(line).find()) {
                    return line;
                }
            }
            if (System.nanoTime() > deadline) {
                List<String> log = log();
                throw new AssertionError("no Postfix log line matched " + pattern + " within " + timeout
                        + "; log tail:\n" + String.join("\n", log.subList(Math.max(0, log.size() - 30), log.size())));
            }
            Thread.sleep(100);
        }
    }

    /** Log lines matching {@code pattern}. */
    List<String> logLines(Pattern pattern) {
        return log().stream().filter(line -> pattern.matcher(line).find()).toList();
    }

    /** {@code postqueue -c <config> -f}: asks the queue manager to try every queued message now. */
    void flush() {
        run(Duration.ofSeconds(30), POSTQUEUE.toString(), "-c", config.toString(), "-f");
    }

    /** {@code postqueue -c <config> -p}: the queue listing (mailq). */
    String queue() {
        return run(Duration.ofSeconds(30), POSTQUEUE.toString(), "-c", config.toString(), "-p");
    }

    private String postfix(String command) {
        return run(Duration.ofSeconds(60), POSTFIX.toString(), "-c", config.toString(), command);
    }

    private void awaitSmtp(String startOutput) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(smtp(), 1000);
                return;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        throw new IllegalStateException("Postfix did not listen on " + smtp() + " within 30 s; postfix start said: "
                + startOutput + "; log: " + log());
    }

    /**
     * Stops the master and its daemons (waiting for them), keeps the log as {@code target/postfix-maillog.txt} (for
     * a failed build's reader), then deletes the instance's directory.
     */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    private synchronized void stop() {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            postfix("stop");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (isRunning() && System.nanoTime() < deadline) {
                sleep(200);
            }
            if (isRunning()) {
                postfix("abort");
            }
        } finally {
            try {
                if (Files.exists(maillog) && Files.isDirectory(Path.of("target"))) {
                    Files.copy(maillog, Path.of("target", "postfix-maillog.txt"), StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                // the copy is a courtesy; the instance is removed either way
            }
            deleteTree(dir);
        }
    }

    private boolean isRunning() {
        // the master holds its pid file locked while it runs
        Path pid = dir.resolve("queue/pid/master.pid");
        if (!Files.exists(pid)) {
            return false;
        }
        try {
            String text = Files.readString(pid).trim();
            return !text.isEmpty() && ProcessHandle.of(Long.parseLong(text)).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /** Runs a command; returns its output (stdout and stderr); fails on a non-zero exit or a timeout. */
    private static String run(Duration timeout, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " timed out");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ": "
                        + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
