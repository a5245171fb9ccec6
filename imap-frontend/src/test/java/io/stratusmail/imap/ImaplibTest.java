package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.user.Username;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Python's imaplib, a widely used real client, runs a whole session against the server. */
class ImaplibTest {

    private ImapTestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer();
        Username user = server.user("py@example.org", "s3cret pw");
        Mailbox inbox = server.mailbox(user, "INBOX");
        server.mailbox(user, "Archive/2024");
        server.append(inbox, ImapTestServer.message("first", "one\r\n"), "\\Seen");
        server.append(inbox, ImapTestServer.message("second", "two\r\n"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void imaplibSession() throws Exception {
        Path script = script();
        Process p = new ProcessBuilder("python3", script.toString(), Integer.toString(server.port()),
                "py@example.org", "s3cret pw").redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> out = List.of(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        assertThat(p.exitValue()).as(String.join("\n", out)).isZero();
        assertThat(out).containsExactly(
                "capabilities APPENDLIMIT=67108864 AUTH=LOGIN AUTH=PLAIN CHILDREN CONDSTORE CREATE-SPECIAL-USE ENABLE "
                        + "ESEARCH ID IDLE IMAP4REV1 LIST-EXTENDED LIST-STATUS LITERAL+ MOVE NAMESPACE QRESYNC QUOTA "
                        + "QUOTA=RES-MESSAGE QUOTA=RES-STORAGE SASL-IR SPECIAL-USE STATUS=SIZE UIDPLUS UNSELECT",
                "login OK",
                "list OK ['(\\\\HasChildren \\\\Archive) \"/\" Archive', '(\\\\HasNoChildren) \"/\" Archive/2024', "
                        + "'(\\\\HasNoChildren \\\\Drafts) \"/\" Drafts', '(\\\\HasNoChildren) \"/\" INBOX', "
                        + "'(\\\\HasNoChildren \\\\Junk) \"/\" Junk', '(\\\\HasNoChildren \\\\Sent) \"/\" Sent', "
                        + "'(\\\\HasNoChildren \\\\Trash) \"/\" Trash']",
                "select OK 2",
                "fetch OK ['Subject: first', 'Subject: second']",
                "body OK two  FLAGS (\\Seen \\Recent))",
                "uid-fetch OK ['1 (UID 1 RFC822.SIZE " + ImapTestServer.message("first", "one\r\n").length()
                        + ")', '2 (UID 2 RFC822.SIZE " + ImapTestServer.message("second", "two\r\n").length() + ")']",
                "store OK ['1 (FLAGS (\\\\Deleted \\\\Seen \\\\Recent))']",
                "expunge OK ['1']",
                "examine OK 1",
                "close OK",
                "logout BYE",
                "bad-login b'[AUTHENTICATIONFAILED] Invalid credentials'");
    }

    private static Path script() throws URISyntaxException {
        return new File(ImaplibTest.class.getResource("/python/imaplib_session.py").toURI()).toPath();
    }
}
