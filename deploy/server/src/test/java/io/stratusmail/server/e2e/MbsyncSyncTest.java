package io.stratusmail.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.user.Username;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;

/**
 * The two-way sync scenario ({@link MaildirSyncScenario}) with mbsync (Debian's isync) over plaintext IMAP with
 * AUTH LOGIN: one channel, every folder ({@code Patterns *}), created, flagged and expunged on both sides.
 */
class MbsyncSyncTest extends MaildirSyncScenario {

    private static final Pattern TUID = Pattern.compile("\nX-TUID: [A-Za-z0-9+/]{12}\n(?=\n)");

    @Override
    void sync(Path work, Username user, Path maildir, String run) {
        Path mbsync = ExternalClient.require("mbsync");
        Path config = work.resolve("mbsyncrc");
        String text = """
                IMAPAccount stratus
                Host 127.0.0.1
                Port %d
                User %s
                Pass %s
                SSLType None
                AuthMechs LOGIN
                Timeout 120

                IMAPStore stratus-far
                Account stratus

                MaildirStore local-near
                Path %s/
                Inbox %s/INBOX
                SubFolders Verbatim

                Channel stratus
                Far :stratus-far:
                Near :local-near:
                Patterns *
                Create Both
                Expunge Both
                SyncState *
                CopyArrivalDate yes
                """.formatted(TestNode.shared().imapAddress().getPort(), user.value(),
                new String(TestNode.password(user)), maildir, maildir);
        try {
            Files.writeString(config, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ExternalClient.run(work, "mbsync-" + run, Duration.ofMinutes(3), Map.of(),
                List.of(mbsync.toString(), "-V", "-Dn", "-c", config.toString(), "stratus"));
    }

    /**
     * mbsync adds one {@code X-TUID} field at the end of the header of the messages it copies (its crash-safe
     * journal finds a half-copied message by it); at most one, removed here.
     */
    @Override
    byte[] withoutToolFields(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        Matcher m = TUID.matcher(text);
        if (!m.find()) {
            return raw;
        }
        String stripped = text.substring(0, m.start()) + "\n" + text.substring(m.end());
        assertThat(TUID.matcher(stripped).find()).as("a single X-TUID").isFalse();
        return stripped.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** isync 1.4 keeps IMAP mailbox names as they are on the wire: modified UTF-7 (RFC 3501 section 5.1.3). */
    @Override
    Path localFolder(Path maildir, String serverFolder) {
        return maildir.resolve(BASE64MailboxEncoder.encode(serverFolder));
    }
}
