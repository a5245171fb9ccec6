package io.stratusmail.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.localcluster.TestCluster;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.search.opensearch.client.ConnectionSettings;
import io.stratusmail.search.opensearch.client.OpenSearchConnection;
import io.stratusmail.search.opensearch.index.MessageIndex;
import io.stratusmail.search.opensearch.index.MessageIndexSettings;
import io.stratusmail.search.opensearch.query.OpenSearchMessageSearch;
import io.stratusmail.search.opensearch.query.TextCriterion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A message delivered over LMTP is indexed in the real OpenSearch node: subject, sender and body text. */
class DeliveryIndexingTest {

    @TempDir
    Path work;

    @Test
    void deliveredMessageIsFoundBySubjectSubstringSenderAndBodyText() throws Exception {
        Username user = TestNode.newUser("index");
        byte[] message = ("From: Zora <zora@example.org>\r\nSubject: Quarterly Zanzibar report\r\n"
                + "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "The pineapple budget for Z=FCrich.\r\n").getBytes(StandardCharsets.US_ASCII);
        Clients.deliver(work, TestNode.shared().lmtpAddress(), Clients.plan(work, List.of(message),
                List.of(List.of(user.value()))));
        Mailbox inbox = TestNode.shared().mailboxes().ensureInbox(user).toCompletableFuture().get();

        try (OpenSearchConnection os = OpenSearchConnection.open(ConnectionSettings.of(TestCluster.opensearch().toString()))) {
            MessageIndex index = new MessageIndex(os.async(), MessageIndexSettings.DEFAULT);
            OpenSearchMessageSearch search = new OpenSearchMessageSearch(os.async(), MessageIndexSettings.DEFAULT, 100);
            List<Long> bySubject = List.of();
            // Indexing follows the commit asynchronously (derived data): wait for it, bounded.
            for (int i = 0; i < 60 && bySubject.isEmpty(); i++) {
                index.refresh().toCompletableFuture().get();
                bySubject = search.searchUids(inbox.id(), TextCriterion.subject("zanzib")).toCompletableFuture().get();
                if (bySubject.isEmpty()) {
                    Thread.sleep(500);
                }
            }
            assertThat(bySubject).containsExactly(1L);
            assertThat(search.searchUids(inbox.id(), TextCriterion.from("zora@EXAMPLE")).toCompletableFuture().get())
                    .containsExactly(1L);
            assertThat(search.searchUids(inbox.id(), TextCriterion.body("zürich")).toCompletableFuture().get())
                    .containsExactly(1L);
            assertThat(search.searchUids(inbox.id(), TextCriterion.body("banana")).toCompletableFuture().get()).isEmpty();
        }
    }
}
