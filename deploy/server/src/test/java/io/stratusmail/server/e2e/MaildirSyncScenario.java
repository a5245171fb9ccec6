package io.stratusmail.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.user.Username;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.HeaderTerm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two-way sync acceptance scenario of issue 4, run by a real Maildir synchroniser (one subclass per tool):
 * a multi-folder account (INBOX, a nested folder, a non-ASCII one; 20 messages, some \Seen, \Flagged,
 * \Answered) is synced to an empty Maildir; every message must arrive byte for byte. Then both sides change
 * (server: an LMTP delivery, flag changes, an expunge; local: a new file, a flag change in a file name, a
 * deleted file) and a second sync must leave both sides equal: same Message-IDs, same flags, nothing lost or
 * duplicated. A third sync must change nothing.
 */
abstract class MaildirSyncScenario {

    /** Folder names as the server shows them (UTF-8; modified UTF-7 on the wire, RFC 3501 section 5.1.3). */
    static final String INBOX = "INBOX";
    static final String NESTED = "Projects/Alpha";
    static final String NON_ASCII = "Grüße";
    static final List<String> FOLDERS = List.of(INBOX, NESTED, NON_ASCII);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    /**
     * Runs one complete two-way sync of every folder of {@code user} with the Maildir tree {@code maildir}; fails
     * the test when the tool fails. {@code run} names the run (its log is {@code <work>/<tool>-<run>.log}).
     */
    abstract void sync(Path work, Username user, Path maildir, String run);

    /**
     * A message's octets (LF line ends) without what the tool itself adds to the messages it copies (mbsync: its
     * {@code X-TUID} header field); everything else must be equal on both sides.
     */
    byte[] withoutToolFields(byte[] raw) {
        return raw;
    }

    /** The Maildir folder (the directory holding cur/ new/ tmp/) the tool keeps {@code serverFolder} in. */
    abstract Path localFolder(Path maildir, String serverFolder);

    @Test
    void fullSyncThenChangesOnBothSidesSyncAgainWithNothingLostOrDuplicated() throws Exception {
        Username user = TestNode.newUser("sync");
        Path maildir = Files.createDirectories(work.resolve("Mail"));
        Map<String, Map<String, Set<String>>> expected = new TreeMap<>();
        try (Store store = store(user)) {
            store.getFolder(NESTED).create(Folder.HOLDS_MESSAGES);
            store.getFolder(NON_ASCII).create(Folder.HOLDS_MESSAGES);
            for (int i = 0; i < 20; i++) {
                String folder = i < 10 ? INBOX : i < 15 ? NESTED : NON_ASCII;
                Set<String> flags = new TreeSet<>();
                if (i % 3 == 0) {
                    flags.add("\\Seen");
                }
                if (i % 4 == 1) {
                    flags.add("\\Flagged");
                }
                if (i == 7) {
                    flags.add("\\Answered");
                }
                append(store, folder, message("m-" + i, folder), flags);
                expected.computeIfAbsent(folder, f -> new LinkedHashMap<>()).put(id("m-" + i), flags);
            }
        }

        sync(work, user, maildir, "first");
        Map<String, Map<String, Stored>> server = serverState(user);
        assertThat(flagsOf(server)).as("server before any change").isEqualTo(expected);
        assertThat(flagsOf(localState(maildir))).as("Maildir after the first sync").isEqualTo(expected);
        assertByteIdentical(server, localState(maildir));

        // changes on the server: an LMTP delivery, a flag added and one removed, an expunge
        Path plan = Clients.plan(work, List.of(message("srv-new", INBOX)), List.of(List.of(user.value())));
        Clients.deliver(work, TestNode.shared().lmtpAddress(), plan);
        expected.get(INBOX).put(id("srv-new"), new TreeSet<>());
        try (Store store = store(user)) {
            setFlag(store, NON_ASCII, "m-16", Flags.Flag.FLAGGED, true);
            expected.get(NON_ASCII).get(id("m-16")).add("\\Flagged");
            setFlag(store, INBOX, "m-3", Flags.Flag.SEEN, false);
            expected.get(INBOX).get(id("m-3")).remove("\\Seen");
            setFlag(store, NESTED, "m-11", Flags.Flag.DELETED, true);
            Folder nested = store.getFolder(NESTED);
            nested.open(Folder.READ_WRITE);
            nested.expunge();
            nested.close(false);
            expected.get(NESTED).remove(id("m-11"));
        }
        // changes in the Maildir: a new file, flags added in a file name, a deleted file
        byte[] localNew = lf(message("local-new", NESTED));
        Files.write(localFolder(maildir, NESTED).resolve("new").resolve("1763769600.M1P1.stratus-test"), localNew);
        expected.get(NESTED).put(id("local-new"), new TreeSet<>());
        Path m2 = file(maildir, INBOX, "m-2");
        Files.move(m2, m2.getParent().getParent().resolve("cur").resolve(base(m2) + ":2,FS"));
        expected.get(INBOX).get(id("m-2")).addAll(List.of("\\Flagged", "\\Seen"));
        Files.delete(file(maildir, NON_ASCII, "m-17"));
        expected.get(NON_ASCII).remove(id("m-17"));

        sync(work, user, maildir, "second");
        server = serverState(user);
        assertThat(flagsOf(server)).as("server after the second sync").isEqualTo(expected);
        assertThat(flagsOf(localState(maildir))).as("Maildir after the second sync").isEqualTo(expected);
        assertByteIdentical(server, localState(maildir));
        assertThat(withoutToolFields(lf(server.get(NESTED).get(id("local-new")).raw())))
                .as("the local message as the server stores it")
                .isEqualTo(localNew);

        sync(work, user, maildir, "third");
        assertThat(flagsOf(serverState(user))).as("server after a sync with nothing to do").isEqualTo(expected);
        assertThat(flagsOf(localState(maildir))).as("Maildir after a sync with nothing to do").isEqualTo(expected);
    }

    /** One message: its flags and its octets. */
    record Stored(Set<String> flags, byte[] raw) {
    }

    static String id(String name) {
        return "<" + name + "@sync.example.test>";
    }

    /** A message with an 8-bit UTF-8 body, CRLF line ends, {@code Message-ID: <name@sync.example.test>}. */
    static byte[] message(String name, String folder) {
        StringBuilder body = new StringBuilder();
        for (int line = 0; line <= name.length() % 7; line++) {
            body.append("Grüße aus ").append(folder).append(", Zeile ").append(line).append(".\r\n");
        }
        return ("From: Sender <sender@example.org>\r\n"
                + "To: someone@example.test\r\n"
                + "Subject: " + name + " in " + folder + "\r\n"
                + "Message-ID: " + id(name) + "\r\n"
                + "Date: Mon, 2 Jun 2025 10:00:00 +0000\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + body).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code raw} with CRLF line ends turned into LF, as Maildir files hold them. */
    static byte[] lf(byte[] raw) {
        return new String(raw, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Store store(Username user) throws Exception {
        return Clients.angus(TestNode.shared().imapAddress(), user.value(), TestNode.password(user));
    }

    private static void append(Store store, String folder, byte[] raw, Set<String> flags) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
        for (String flag : flags) {
            m.setFlag(systemFlag(flag), true);
        }
        store.getFolder(folder).appendMessages(new Message[] {m});
    }

    private static void setFlag(Store store, String folder, String name, Flags.Flag flag, boolean set)
            throws Exception {
        Folder f = store.getFolder(folder);
        f.open(Folder.READ_WRITE);
        Message[] found = f.search(new HeaderTerm("Message-ID", id(name)));
        assertThat(found).as("%s in %s", name, folder).hasSize(1);
        found[0].setFlag(flag, set);
        f.close(false);
    }

    private static Flags.Flag systemFlag(String name) {
        return switch (name) {
            case "\\Seen" -> Flags.Flag.SEEN;
            case "\\Flagged" -> Flags.Flag.FLAGGED;
            case "\\Answered" -> Flags.Flag.ANSWERED;
            case "\\Draft" -> Flags.Flag.DRAFT;
            case "\\Deleted" -> Flags.Flag.DELETED;
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Every message of {@link #FOLDERS} on the server, by Message-ID, read with Angus Mail (EXAMINE, BODY[]). */
    private static Map<String, Map<String, Stored>> serverState(Username user) throws Exception {
        Map<String, Map<String, Stored>> state = new TreeMap<>();
        try (Store store = store(user)) {
            for (String name : FOLDERS) {
                Folder folder = store.getFolder(name);
                folder.open(Folder.READ_ONLY);
                Map<String, Stored> messages = new LinkedHashMap<>();
                for (Message m : folder.getMessages()) {
                    Set<String> flags = new TreeSet<>();
                    for (Flags.Flag f : List.of(Flags.Flag.SEEN, Flags.Flag.FLAGGED, Flags.Flag.ANSWERED,
                            Flags.Flag.DRAFT, Flags.Flag.DELETED)) {
                        if (m.isSet(f)) {
                            flags.add(flagName(f));
                        }
                    }
                    ByteArrayOutputStream raw = new ByteArrayOutputStream();
                    m.writeTo(raw);
                    Stored previous = messages.put(m.getHeader("Message-ID")[0], new Stored(flags, raw.toByteArray()));
                    assertThat(previous).as("duplicate %s in %s on the server", m.getHeader("Message-ID")[0], name)
                            .isNull();
                }
                folder.close(false);
                state.put(name, messages);
            }
        }
        return state;
    }

    private static String flagName(Flags.Flag f) {
        if (f == Flags.Flag.SEEN) {
            return "\\Seen";
        }
        if (f == Flags.Flag.FLAGGED) {
            return "\\Flagged";
        }
        if (f == Flags.Flag.ANSWERED) {
            return "\\Answered";
        }
        return f == Flags.Flag.DRAFT ? "\\Draft" : "\\Deleted";
    }

    /** Every message file of {@link #FOLDERS} in the Maildir, by Message-ID, flags from the file name's info. */
    private Map<String, Map<String, Stored>> localState(Path maildir) throws IOException {
        Map<String, Map<String, Stored>> state = new TreeMap<>();
        for (String name : FOLDERS) {
            Map<String, Stored> messages = new LinkedHashMap<>();
            for (Path file : files(localFolder(maildir, name))) {
                byte[] raw = Files.readAllBytes(file);
                Stored previous = messages.put(messageId(raw), new Stored(maildirFlags(file), raw));
                assertThat(previous).as("duplicate %s in the Maildir folder of %s", messageId(raw), name).isNull();
            }
            state.put(name, messages);
        }
        return state;
    }

    private static List<Path> files(Path folder) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            Path dir = folder.resolve(sub);
            assertThat(dir).as("Maildir folder %s; the Maildir holds %s", folder, tree(folder.getParent()))
                    .isDirectory();
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(Files::isRegularFile).sorted().forEach(out::add);
            }
        }
        return out;
    }

    private static List<String> tree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir, 3)) {
            return s.filter(Files::isDirectory).map(dir::relativize).map(Path::toString).sorted().toList();
        }
    }

    /** Maildir info flags ({@code :2,DFRST}, letters as in the Maildir specification) as IMAP flags. */
    private static Set<String> maildirFlags(Path file) {
        String name = file.getFileName().toString();
        Set<String> flags = new TreeSet<>();
        int info = name.lastIndexOf(":2,");
        if (info < 0) {
            return flags;
        }
        for (char c : name.substring(info + 3).toCharArray()) {
            switch (c) {
                case 'S' -> flags.add("\\Seen");
                case 'F' -> flags.add("\\Flagged");
                case 'R' -> flags.add("\\Answered");
                case 'D' -> flags.add("\\Draft");
                case 'T' -> flags.add("\\Deleted");
                default -> { } // other letters are the tool's own
            }
        }
        return flags;
    }

    private static String base(Path file) {
        String name = file.getFileName().toString();
        int info = name.lastIndexOf(":2,");
        return info < 0 ? name : name.substring(0, info);
    }

    private static String messageId(byte[] raw) {
        for (String line : new String(raw, StandardCharsets.ISO_8859_1).split("\r?\n")) {
            if (line.isEmpty()) {
                break;
            }
            if (line.regionMatches(true, 0, "Message-ID:", 0, 11)) {
                return line.substring(11).trim();
            }
        }
        throw new AssertionError("no Message-ID in " + new String(raw, StandardCharsets.UTF_8));
    }

    private Path file(Path maildir, String folder, String name) {
        try {
            for (Path f : files(localFolder(maildir, folder))) {
                if (messageId(Files.readAllBytes(f)).equals(id(name))) {
                    return f;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError(name + " not in the Maildir folder of " + folder);
    }

    private static Map<String, Map<String, Set<String>>> flagsOf(Map<String, Map<String, Stored>> state) {
        Map<String, Map<String, Set<String>>> out = new TreeMap<>();
        state.forEach((folder, messages) -> {
            Map<String, Set<String>> flags = new LinkedHashMap<>();
            messages.forEach((id, stored) -> flags.put(id, stored.flags()));
            out.put(folder, flags);
        });
        return out;
    }

    /** Each Maildir file holds exactly the server's octets (line ends as LF). */
    private void assertByteIdentical(Map<String, Map<String, Stored>> server,
                                            Map<String, Map<String, Stored>> local) {
        server.forEach((folder, messages) -> messages.forEach((id, stored) -> assertThat(
                new String(withoutToolFields(local.get(folder).get(id).raw()), StandardCharsets.UTF_8))
                .as("%s in %s, Maildir file against server octets", id, folder)
                .isEqualTo(new String(withoutToolFields(lf(stored.raw())), StandardCharsets.UTF_8))));
    }
}
