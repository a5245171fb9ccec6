package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageToAppend;
import io.stratusmail.mailbox.user.Username;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FETCH over a whole large mailbox answers every message even when the client reads slowly: the server stops
 * at the channel's high-water mark and continues when the client has read (back-pressure, not buffering the
 * whole answer and not stalling).
 */
class LargeFetchTest {

    private static final int MESSAGES = 30_000;

    private ImapTestServer server;
    private ImapTestClient c;

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer();
        Username user = server.user("big@example.org", "secret");
        Mailbox inbox = server.mailbox(user, "INBOX");
        byte[] message = ImapTestServer.message("hello", "body").getBytes(StandardCharsets.US_ASCII);
        for (int done = 0; done < MESSAGES; done += 10_000) {
            List<MessageToAppend> batch = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                batch.add(new MessageToAppend(message, Flags.EMPTY, Instant.parse("2024-03-05T09:08:07Z")));
            }
            server.store.appendAll(inbox, batch).toCompletableFuture().join();
        }
        c = server.login("big@example.org", "secret");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.close();
    }

    @Test
    void fetchOfEveryMessageCompletesForASlowReader() throws Exception {
        c.command("s", "EXAMINE INBOX");
        for (String items : List.of("(FLAGS)", "(UID RFC822.SIZE FLAGS)", "(UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])")) {
            c.send("f FETCH 1:* " + items);
            Thread.sleep(500); // the server fills the socket and must wait for the reader
            List<String> lines = c.readUntilTagged("f");
            assertThat(lines).as(items).hasSize(MESSAGES + 1);
            assertThat(lines.get(MESSAGES - 1)).as(items).startsWith("* " + MESSAGES + " FETCH (");
            assertThat(lines.get(MESSAGES)).isEqualTo("f OK FETCH completed");
        }
    }
}
