package io.stratusmail.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratusmail.mailbox.user.Username;
import io.stratusmail.server.node.NodeConfig;
import io.stratusmail.server.node.StratusNode;
import io.stratusmail.server.node.TlsSettings;
import io.stratusmail.server.node.hints.HintSettings;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.event.MessageCountAdapter;
import jakarta.mail.event.MessageCountEvent;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Angus Mail's message API against a node on real Cassandra: APPEND with flags and a date (RFC 3501 section
 * 6.3.11), UIDPLUS's APPENDUID and COPYUID (RFC 4315 section 3) through {@code appendUIDMessages},
 * {@code copyUIDMessages} and {@code moveUIDMessages}, COPY and MOVE (RFC 6851) with the source's EXPUNGE, a
 * COPY/MOVE to a missing folder refused with nothing changed, and IDLE (RFC 2177) woken by an LMTP delivery to
 * the same node (through the node's change hints: its IDLE poll is set far too slow to explain the wake-up).
 * Folder operations are in {@link AngusFoldersTest}.
 */
class AngusMessagesTest {

    /** The IDLE node re-reads the mailbox this seldom, so only the delivery's change hint can wake it in time. */
    private static final Duration IDLE_POLL = Duration.ofSeconds(60);
    /** A delivery must reach the IDLE session well within {@link #IDLE_POLL}. */
    private static final Duration IDLE_WAKE_LIMIT = Duration.ofSeconds(15);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    void appendReportsAppendUidsAndKeepsFlagsAndDate() throws Exception {
        Username user = TestNode.newUser("angus-append");
        try (Store store = Clients.angus(TestNode.shared().imapAddress(), user.value(), TestNode.password(user))) {
            Folder receipts = store.getFolder("Receipts");
            assertThat(receipts.create(Folder.HOLDS_MESSAGES)).isTrue();
            // Folder.appendMessages on a closed folder: a plain APPEND
            receipts.appendMessages(new Message[] {message(user, "receipt", "paid")});
            assertThat(receipts.getMessageCount()).isEqualTo(1);

            IMAPFolder inbox = (IMAPFolder) Clients.openInbox(store, Folder.READ_WRITE);
            MimeMessage flagged = message(user, "flagged draft", "first");
            flagged.setFlag(Flags.Flag.FLAGGED, true);
            Date sent = new Date(1_700_000_000_000L);
            flagged.setSentDate(sent);
            MimeMessage plain = message(user, "plain", "second");
            AppendUID[] uids = inbox.appendUIDMessages(new Message[] {flagged, plain});

            assertThat(uids).as("APPENDUID for every message").hasSize(2).doesNotContainNull();
            assertThat(uids[0].uidvalidity).isEqualTo(inbox.getUIDValidity());
            assertThat(uids[1].uid).isGreaterThan(uids[0].uid);
            assertThat(inbox.getMessageCount()).as("EXISTS after APPEND to the selected mailbox").isEqualTo(2);
            Message first = inbox.getMessageByUID(uids[0].uid);
            assertThat(first.getSubject()).isEqualTo("flagged draft");
            assertThat(first.getFlags().contains(Flags.Flag.FLAGGED)).isTrue();
            assertThat(first.getFlags().contains(Flags.Flag.SEEN)).isFalse();
            assertThat(first.getReceivedDate()).as("INTERNALDATE from the APPEND date-time").isEqualTo(sent);
            assertThat(body(inbox.getMessageByUID(uids[1].uid))).isEqualTo("second");
            inbox.close(false);
        }
    }

    @Test
    void copyAndMoveReportCopyUidsAndExpungeOnlyTheMovedSource() throws Exception {
        Username user = TestNode.newUser("angus-move");
        deliver(user, "one", "two", "three", "four");
        try (Store store = Clients.angus(TestNode.shared().imapAddress(), user.value(), TestNode.password(user))) {
            IMAPFolder inbox = (IMAPFolder) Clients.openInbox(store, Folder.READ_WRITE);
            IMAPFolder archive = (IMAPFolder) store.getFolder("Archive");
            Folder receipts = store.getFolder("Receipts");
            assertThat(receipts.create(Folder.HOLDS_MESSAGES)).isTrue();
            Message[] all = inbox.getMessages();
            assertThat(all).hasSize(4);
            all[0].setFlag(Flags.Flag.FLAGGED, true);

            AppendUID[] copied = inbox.copyUIDMessages(new Message[] {all[0], all[1]}, archive);
            assertThat(copied).as("COPYUID").hasSize(2).doesNotContainNull();
            archive.open(Folder.READ_ONLY);
            assertThat(copied[0].uidvalidity).isEqualTo(archive.getUIDValidity());
            Message copy = archive.getMessageByUID(copied[0].uid);
            assertThat(copy.getSubject()).isEqualTo("one");
            assertThat(copy.getFlags().contains(Flags.Flag.FLAGGED)).as("COPY keeps flags").isTrue();
            assertThat(archive.getMessageByUID(copied[1].uid).getSubject()).isEqualTo("two");
            archive.close(false);
            assertThat(inbox.getMessageCount()).as("COPY leaves the source").isEqualTo(4);

            AppendUID[] moved = inbox.moveUIDMessages(new Message[] {all[2]}, archive);
            assertThat(moved).as("COPYUID of MOVE").hasSize(1).doesNotContainNull();
            assertThat(all[2].isExpunged()).as("EXPUNGE of the moved message").isTrue();
            inbox.moveMessages(new Message[] {all[3]}, receipts); // MOVE; Angus refuses without the capability
            assertThat(all[3].isExpunged()).isTrue();
            assertThat(subjects(inbox)).containsExactly("one", "two");

            archive.open(Folder.READ_ONLY);
            assertThat(subjects(archive)).containsExactly("one", "two", "three");
            assertThat(body(archive.getMessageByUID(moved[0].uid))).isEqualTo("body three");
            archive.close(false);
            receipts.open(Folder.READ_ONLY);
            assertThat(subjects(receipts)).containsExactly("four");
            receipts.close(false);

            Folder missing = store.getFolder("No Such Folder");
            assertThatThrownBy(() -> inbox.copyMessages(new Message[] {all[0]}, missing))
                    .as("COPY to a missing mailbox").isInstanceOf(MessagingException.class);
            assertThatThrownBy(() -> inbox.moveMessages(new Message[] {all[1]}, missing))
                    .as("MOVE to a missing mailbox").isInstanceOf(MessagingException.class);
            assertThat(missing.exists()).isFalse();
            assertThat(all[1].isExpunged()).isFalse();
            inbox.close(false);
        }
        try (Store store = Clients.angus(TestNode.shared().imapAddress(), user.value(), TestNode.password(user))) {
            Folder inbox = Clients.openInbox(store, Folder.READ_ONLY);
            assertThat(subjects(inbox)).as("INBOX seen by a new session").containsExactly("one", "two");
            assertThat(Arrays.stream(inbox.getMessages()).map(AngusMessagesTest::flags))
                    .as("the refused MOVE left no \\Deleted behind").noneMatch(f -> f.contains(Flags.Flag.DELETED));
        }
    }

    @Test
    void idleIsWokenByAnLmtpDeliveryToTheSameNode() throws Exception {
        Username user = TestNode.newUser("angus-idle");
        // a node of its own on the shared keyspace, with IDLE polling too slow to explain a quick wake-up
        try (StratusNode node = StratusNode.start(TestNode.config(TestNode.keyspace(), EnumSet.allOf(
                NodeConfig.Service.class)), TlsSettings.NONE, HintSettings.DISABLED.withIdlePollInterval(IDLE_POLL))) {
            idleWokenByDelivery(node, user);
        }
    }

    private void idleWokenByDelivery(StratusNode node, Username user) throws Exception {
        deliver(node, user, "before idle");
        ByteArrayOutputStream trace = new ByteArrayOutputStream();
        try (Store store = Clients.angus(node.imapAddress(), user.value(), TestNode.password(user),
                new PrintStream(trace, true, StandardCharsets.UTF_8))) {
            IMAPFolder inbox = (IMAPFolder) Clients.openInbox(store, Folder.READ_WRITE);
            assertThat(inbox.getMessageCount()).isEqualTo(1);
            CompletableFuture<List<String>> added = new CompletableFuture<>();
            inbox.addMessageCountListener(new MessageCountAdapter() {
                @Override
                public void messagesAdded(MessageCountEvent e) {
                    try {
                        List<String> subjects = new ArrayList<>();
                        for (Message m : e.getMessages()) {
                            subjects.add(m.getSubject());
                        }
                        added.complete(subjects);
                    } catch (MessagingException ex) {
                        added.completeExceptionally(ex);
                    }
                }
            });
            CompletableFuture<Void> idle = CompletableFuture.runAsync(() -> {
                try {
                    inbox.idle(true); // returns after the first notification
                } catch (MessagingException e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitIdleInProgress(trace, idle);

            long deliveredAt = System.nanoTime();
            deliver(node, user, "during idle");
            idle.get(IDLE_WAKE_LIMIT.toSeconds(), TimeUnit.SECONDS);
            Duration woken = Duration.ofNanos(System.nanoTime() - deliveredAt);
            assertThat(added.get(10, TimeUnit.SECONDS)).as("MessageCountEvent from the EXISTS")
                    .containsExactly("during idle");
            assertThat(woken).as("IDLE woken by the delivery").isLessThan(IDLE_WAKE_LIMIT);
            assertThat(inbox.getMessageCount()).isEqualTo(2);
            inbox.close(false);
        }
    }

    /** Waits until the trace shows the IDLE command answered with its continuation request ("+ ..."). */
    private static void awaitIdleInProgress(ByteArrayOutputStream trace, CompletableFuture<Void> idle)
            throws Exception {
        Pattern idling = Pattern.compile("(?ms)^\\S+ IDLE\\R.*^\\+ ");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!idling.matcher(trace.toString(StandardCharsets.UTF_8)).find()) {
            if (idle.isDone()) {
                idle.get(); // rethrows why IDLE ended
                throw new AssertionError("IDLE ended before a delivery; trace:\n" + trace);
            }
            assertThat(System.nanoTime()).as("IDLE in progress within 30 s; trace:%n%s", trace).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private void deliver(Username user, String... subjects) throws Exception {
        deliver(TestNode.shared(), user, subjects);
    }

    private void deliver(StratusNode node, Username user, String... subjects) throws Exception {
        List<byte[]> messages = new ArrayList<>();
        for (String subject : subjects) {
            messages.add(("From: sender@example.org\r\nTo: " + user.value() + "\r\nSubject: " + subject
                    + "\r\nMessage-ID: <" + System.nanoTime() + "@angus.example.test>\r\n\r\nbody " + subject + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        Path plan = Clients.plan(work, messages, Collections.nCopies(subjects.length, List.of(user.value())));
        Clients.deliver(work, node.lmtpAddress(), plan);
    }

    private static MimeMessage message(Username user, String subject, String text) throws MessagingException {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom(new InternetAddress("writer@example.org"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(user.value()));
        m.setSubject(subject);
        m.setText(text, "us-ascii");
        m.saveChanges();
        return m;
    }

    private static String body(Message m) throws Exception {
        return new String(m.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
    }

    private static List<String> subjects(Folder folder) throws MessagingException {
        List<String> subjects = new ArrayList<>();
        for (Message m : folder.getMessages()) {
            if (!m.isExpunged()) { // Angus keeps a marked placeholder for an EXPUNGE another command caused
                subjects.add(m.getSubject());
            }
        }
        return subjects;
    }

    private static Flags flags(Message m) {
        try {
            return m.getFlags();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
