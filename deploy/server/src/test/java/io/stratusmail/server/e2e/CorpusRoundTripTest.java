package io.stratusmail.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.bench.SpamAssassinCorpus;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.server.node.StratusNode;
import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end: 1,000 real messages of the public SpamAssassin corpus delivered over LMTP by
 * Python's smtplib to two users (single- and multi-recipient transactions), stored in Cassandra, read back over
 * IMAP by Angus Mail and by Python's imaplib.
 */
class CorpusRoundTripTest {

    private static final int MESSAGES = 1000;
    /** What LMTP delivery may put in front of the delivered octets: trace header fields only. */
    private static final Pattern TRACE = Pattern.compile(
            "((Return-Path|Delivered-To|Received):[^\r\n]*\r\n([ \t][^\r\n]*\r\n)*)+");

    @TempDir
    static Path work;
    static StratusNode node;
    static Username alice;
    static Username bob;
    static List<byte[]> toAlice = new ArrayList<>();
    static List<byte[]> toBob = new ArrayList<>();

    @BeforeAll
    static void deliverCorpus() throws Exception {
        node = TestNode.shared();
        alice = TestNode.newUser("alice");
        bob = TestNode.newUser("bob");
        List<byte[]> corpus = SpamAssassinCorpus.messages(MESSAGES);
        assertThat(corpus).hasSize(MESSAGES);
        List<List<String>> rcpts = new ArrayList<>();
        for (int i = 0; i < corpus.size(); i++) {
            switch (i % 3) {
                case 0 -> rcpts.add(List.of(alice.value()));
                case 1 -> rcpts.add(List.of(bob.value()));
                default -> rcpts.add(List.of(alice.value(), bob.value()));
            }
            if (i % 3 != 1) {
                toAlice.add(corpus.get(i));
            }
            if (i % 3 != 0) {
                toBob.add(corpus.get(i));
            }
        }
        Clients.deliver(work, node.lmtpAddress(), Clients.plan(work, corpus, rcpts));
    }

    @Test
    void angusMailReadsEveryMessageByteExactWithMatchingEnvelopeAndBodyStructure() throws Exception {
        for (Username user : List.of(alice, bob)) {
            List<byte[]> expected = user.equals(alice) ? toAlice : toBob;
            Session local = Session.getInstance(new Properties());
            try (Store store = Clients.angus(node.imapAddress(), user.value(), TestNode.password(user))) {
                Folder inbox = Clients.openInbox(store, Folder.READ_ONLY);
                assertThat(inbox.getMessageCount()).isEqualTo(expected.size());
                Message[] messages = inbox.getMessages();
                FetchProfile fp = new FetchProfile();
                fp.add(FetchProfile.Item.ENVELOPE);
                fp.add(FetchProfile.Item.CONTENT_INFO);
                fp.add(FetchProfile.Item.SIZE);
                fp.add(UIDFolder.FetchProfileItem.UID);
                inbox.fetch(messages, fp);
                long lastUid = 0;
                for (int i = 0; i < messages.length; i++) {
                    IMAPMessage m = (IMAPMessage) messages[i];
                    long uid = ((UIDFolder) inbox).getUID(m);
                    assertThat(uid).as("UIDs ascend in delivery order").isGreaterThan(lastUid);
                    lastUid = uid;
                    m.setPeek(true);
                    ByteArrayOutputStream raw = new ByteArrayOutputStream();
                    m.writeTo(raw);
                    byte[] body = raw.toByteArray();
                    byte[] original = expected.get(i);
                    assertDeliveredIntact(body, original, user, "message " + (i + 1));
                    assertThat(m.getSize()).as("RFC822.SIZE of message %d", i + 1).isEqualTo(body.length);

                    MimeMessage parsed = new MimeMessage(local, new ByteArrayInputStream(original));
                    String what = "message " + (i + 1) + " of " + user;
                    assertThat(m.getSubject()).as("ENVELOPE subject, %s", what).isEqualTo(parsed.getSubject());
                    assertThat(m.getMessageID()).as("ENVELOPE message-id, %s", what).isEqualTo(parsed.getMessageID());
                    assertThat(addresses(m.getFrom())).as("ENVELOPE from, %s", what).isEqualTo(addresses(safeFrom(parsed)));
                    assertThat(baseType(m.getContentType())).as("BODYSTRUCTURE type, %s", what)
                            .isEqualTo(baseType(parsed.getContentType()));
                    if (m.isMimeType("multipart/*") && parsed.getContent() instanceof Multipart local0) {
                        assertThat(((Multipart) m.getContent()).getCount()).as("BODYSTRUCTURE parts, %s", what)
                                .isEqualTo(local0.getCount());
                    }
                }
                inbox.close(false);
            }
        }
    }

    @Test
    void pythonImaplibReadsEveryMessageByteExact() throws Exception {
        for (Username user : List.of(alice, bob)) {
            List<byte[]> expected = user.equals(alice) ? toAlice : toBob;
            Path out = Files.createDirectories(work.resolve("imaplib-" + user.value()));
            List<String> lines = Clients.python(work, "imap_read.py", node.imapAddress().getHostString(),
                    "" + node.imapAddress().getPort(), user.value(), new String(TestNode.password(user)), out.toString());
            assertThat(lines).contains("read " + expected.size());
            List<Path> files;
            try (var s = Files.list(out)) {
                files = s.filter(p -> p.toString().endsWith(".eml"))
                        .sorted((a, b) -> Long.compare(uidOf(a), uidOf(b))).toList();
            }
            assertThat(files).hasSize(expected.size());
            for (int i = 0; i < files.size(); i++) {
                byte[] body = Files.readAllBytes(files.get(i));
                assertDeliveredIntact(body, expected.get(i), user, files.get(i).getFileName().toString());
                String size = Files.readString(files.get(i).resolveSibling(uidOf(files.get(i)) + ".size"));
                assertThat(Long.parseLong(size.trim())).isEqualTo(body.length);
            }
        }
    }

    private static long uidOf(Path p) {
        String n = p.getFileName().toString();
        return Long.parseLong(n.substring(0, n.indexOf('.')));
    }

    /** BODY[] = trace header fields added at delivery + the delivered octets, unchanged. */
    private static void assertDeliveredIntact(byte[] body, byte[] original, Username user, String what) {
        assertThat(body.length).as("%s is longer than what was delivered", what).isGreaterThan(original.length);
        byte[] tail = Arrays.copyOfRange(body, body.length - original.length, body.length);
        assertThat(tail).as("%s: delivered octets byte-identical", what).isEqualTo(original);
        String trace = new String(body, 0, body.length - original.length, StandardCharsets.ISO_8859_1);
        assertThat(trace).as("%s: only trace fields added", what).matches(TRACE);
        assertThat(trace).containsPattern("Delivered-To: <?" + Pattern.quote(user.value()))
                .contains("Return-Path: <sender@example.org>");
    }

    private static InternetAddress[] safeFrom(MimeMessage m) {
        try {
            return (InternetAddress[]) m.getFrom();
        } catch (Exception e) {
            return null;
        }
    }

    private static List<String> addresses(jakarta.mail.Address[] a) {
        if (a == null) {
            return List.of();
        }
        return Arrays.stream(a).map(x -> x instanceof InternetAddress ia
                ? String.valueOf(ia.getAddress()).toLowerCase(Locale.ROOT) : x.toString()).toList();
    }

    private static String baseType(String contentType) {
        try {
            return new ContentType(contentType).getBaseType().toLowerCase(Locale.ROOT);
        } catch (Exception e) {
            return "text/plain";
        }
    }
}
