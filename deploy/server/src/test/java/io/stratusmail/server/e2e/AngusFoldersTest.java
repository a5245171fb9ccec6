package io.stratusmail.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.user.Username;
import io.stratusmail.server.node.StratusNode;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.Test;

/**
 * Angus Mail's folder API against a node on real Cassandra: CREATE of a folder tree (with a non-ASCII name, so
 * modified UTF-7 both ways), APPEND, message counts through STATUS, RENAME with inferior names, LIST and
 * special-use attributes, SUBSCRIBE / LSUB, recursive DELETE (RFC 3501 sections 6.3.3-6.3.10).
 */
class AngusFoldersTest {

    @Test
    void folderTreeCreateAppendRenameListSubscribeDelete() throws Exception {
        StratusNode node = TestNode.shared();
        Username user = TestNode.newUser("folders");
        try (Store store = Clients.angus(node.imapAddress(), user.value(), TestNode.password(user))) {
            Folder alpha = store.getFolder("Projects/Alpha");
            assertThat(alpha.create(Folder.HOLDS_MESSAGES | Folder.HOLDS_FOLDERS)).isTrue();
            Folder report = store.getFolder("Projects/Alpha/Übersicht");
            assertThat(report.create(Folder.HOLDS_MESSAGES)).isTrue();
            Folder projects = store.getFolder("Projects");
            assertThat(projects.exists()).isTrue();
            assertThat(projects.getType() & Folder.HOLDS_MESSAGES).as("implied parent is \\Noselect").isZero();

            Session local = Session.getInstance(new Properties());
            byte[] raw = ("From: a@example.test\r\nTo: " + user.value() + "\r\nSubject: kept\r\n\r\nhello\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            report.appendMessages(new Message[] {new MimeMessage(local, new ByteArrayInputStream(raw))});
            assertThat(report.getMessageCount()).as("MESSAGES via STATUS").isEqualTo(1);
            assertThat(report.getUnreadMessageCount()).as("UNSEEN via STATUS").isEqualTo(1);

            Folder moved = store.getFolder("Archive/Alpha");
            assertThat(alpha.renameTo(moved)).isTrue();
            assertThat(store.getFolder("Projects/Alpha").exists()).isFalse();
            Folder movedReport = store.getFolder("Archive/Alpha/Übersicht");
            assertThat(movedReport.exists()).isTrue();
            assertThat(movedReport.getMessageCount()).as("messages move with the renamed parent").isEqualTo(1);

            List<String> all = Arrays.stream(store.getDefaultFolder().list("*")).map(Folder::getFullName).toList();
            assertThat(all).contains("INBOX", "Sent", "Archive", "Archive/Alpha", "Archive/Alpha/Übersicht")
                    .doesNotContain("Projects/Alpha", "Projects/Alpha/Übersicht");
            assertThat(((IMAPFolder) store.getFolder("Sent")).getAttributes()).contains("\\Sent");

            movedReport.setSubscribed(true);
            assertThat(movedReport.isSubscribed()).isTrue();
            List<String> subscribed = Arrays.stream(store.getDefaultFolder().listSubscribed("*"))
                    .map(Folder::getFullName).toList();
            assertThat(subscribed).as("the provisioned defaults and the new subscription")
                    .containsExactlyInAnyOrder("Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash",
                            "Archive/Alpha/Übersicht");

            assertThat(moved.delete(true)).isTrue();
            assertThat(moved.exists()).isFalse();
            assertThat(movedReport.exists()).isFalse();
            assertThat(Arrays.stream(store.getDefaultFolder().list("Archive/*")).map(Folder::getFullName))
                    .isEmpty();
        }
    }
}
