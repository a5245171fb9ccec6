package io.stratusmail.server.e2e;

import io.stratusmail.mailbox.user.Username;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The two-way sync scenario ({@link MaildirSyncScenario}) with offlineimap3 (Debian's package) over plaintext
 * IMAP with {@code AUTHENTICATE PLAIN} (mbsync uses the LOGIN command): one account, every folder, UTF-8 local
 * folder names ({@code utf8foldernames}; the IMAP side stays modified UTF-7), nested folders as nested Maildir
 * directories ({@code sep = /}).
 */
class OfflineimapSyncTest extends MaildirSyncScenario {

    @Override
    void sync(Path work, Username user, Path maildir, String run) {
        Path offlineimap = ExternalClient.require("offlineimap", "offlineimap3");
        Path config = work.resolve("offlineimaprc");
        String text = """
                [general]
                accounts = stratus
                metadata = %s
                maxsyncaccounts = 1

                [Account stratus]
                localrepository = near
                remoterepository = far
                utf8foldernames = yes

                [Repository near]
                type = Maildir
                localfolders = %s
                sep = /

                [Repository far]
                type = IMAP
                remotehost = 127.0.0.1
                remoteport = %d
                remoteuser = %s
                remotepass = %s
                ssl = no
                starttls = no
                auth_mechanisms = PLAIN
                maxconnections = 1
                timeout = 120
                """.formatted(work.resolve("offlineimap-metadata"), maildir,
                TestNode.shared().imapAddress().getPort(), user.value(), new String(TestNode.password(user)));
        try {
            Files.writeString(config, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ExternalClient.run(work, "offlineimap-" + run, Duration.ofMinutes(3), Map.of(),
                List.of(offlineimap.toString(), "-c", config.toString(), "-o", "-u", "basic"));
    }

    @Override
    Path localFolder(Path maildir, String serverFolder) {
        return maildir.resolve(serverFolder);
    }
}
