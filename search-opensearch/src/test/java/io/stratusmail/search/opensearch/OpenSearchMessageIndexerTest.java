package io.stratusmail.search.opensearch;

import static io.stratusmail.search.opensearch.OpenSearchFixture.await;
import static io.stratusmail.search.opensearch.OpenSearchFixture.newMailbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.search.opensearch.client.ConnectionSettings;
import io.stratusmail.search.opensearch.client.OpenSearchConnection;
import io.stratusmail.search.opensearch.index.MessageIndex;
import io.stratusmail.search.opensearch.index.MessageIndexSettings;
import io.stratusmail.search.opensearch.query.OpenSearchMessageSearch;
import io.stratusmail.search.opensearch.query.TextCriterion;
import io.stratusmail.search.opensearch.text.Corpus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Indexing real messages into a real OpenSearch node and finding them with RFC 3501 SEARCH string keys. */
class OpenSearchMessageIndexerTest {

    private static OpenSearchFixture os;
    private static ExecutorService extraction;
    private static OpenSearchMessageIndexer indexer;
    private static OpenSearchMessageSearch search;

    @BeforeAll
    static void start() {
        os = OpenSearchFixture.start();
        extraction = Executors.newFixedThreadPool(2);
        indexer = new OpenSearchMessageIndexer(os.connection().async(), os.settings(), extraction, IndexerSettings.DEFAULT);
        search = new OpenSearchMessageSearch(os.connection().async(), os.settings(), 100_000);
    }

    @AfterAll
    static void stop() {
        extraction.shutdownNow();
        os.close();
    }

    private static void index(Mailbox mailbox, long uid, String corpusPath) {
        await(indexer.index(mailbox, uid, Corpus.message(corpusPath)));
    }

    private static List<Long> search(Mailbox mailbox, TextCriterion criterion) {
        return await(search.searchUids(mailbox.id(), criterion));
    }

    private static void refresh() {
        await(os.index().refresh());
    }

    @Test
    void subjectIsFoundByCaseInsensitiveMidWordSubstring() {
        Mailbox inbox = newMailbox("alice@example.org");
        index(inbox, 1, "mimetools-testmsgs/german-qp.msg");     // Subject: Testnachricht
        index(inbox, 2, "mimetools-testmsgs/intl.msg");          // encoded words in three charsets
        index(inbox, 3, "mimetools-testmsgs/simple.msg");        // Subject: Request for Leave
        refresh();

        assertThat(search(inbox, TextCriterion.subject("NACHRICHT"))).containsExactly(1L);
        assertThat(search(inbox, TextCriterion.subject("stnach"))).containsExactly(1L);
        assertThat(search(inbox, TextCriterion.subject("ou UNDERSTAND the exam"))).containsExactly(2L);
        assertThat(search(inbox, TextCriterion.subject("request for l"))).containsExactly(3L);
        assertThat(search(inbox, TextCriterion.subject("e"))).containsExactly(1L, 2L, 3L);
        assertThat(search(inbox, TextCriterion.subject("no such subject"))).isEmpty();
    }

    @Test
    void addressFieldsAreFoundByAddressAndByDecodedDisplayName() {
        Mailbox inbox = newMailbox("alice@example.org");
        index(inbox, 1, "mimetools-testmsgs/german-qp.msg");     // From: =?ISO-8859-15?Q?J=F6rn?= Reder <joern@zyn.de>
        index(inbox, 2, "mimetools-testmsgs/intl.msg");
        refresh();

        assertThat(search(inbox, TextCriterion.from("joern@ZYN.de"))).containsExactly(1L);
        assertThat(search(inbox, TextCriterion.from("JÖRN reder"))).containsExactly(1L);
        assertThat(search(inbox, TextCriterion.from("keith moore <moore@"))).containsExactly(2L);
        assertThat(search(inbox, TextCriterion.to("keld jørn"))).containsExactly(2L);
        assertThat(search(inbox, TextCriterion.cc("andré pirard"))).containsExactly(2L);
        assertThat(search(inbox, TextCriterion.bcc("FÄLTSTRÖM"))).containsExactly(2L);
        assertThat(search(inbox, TextCriterion.to("joern@zyn.de"))).containsExactly(1L);
        assertThat(search(inbox, TextCriterion.from("paf@nada"))).isEmpty(); // a Bcc address, not a From one
    }

    @Test
    void bodyWordOfAnIso88591QuotedPrintableMessageIsFoundDecoded() {
        Mailbox inbox = newMailbox("alice@example.org");
        index(inbox, 1, "mimetools-testmsgs/german.msg");        // charset iso-8859-1, quoted-printable
        index(inbox, 2, "mimetools-testmsgs/german-qp.msg");     // charset iso-8859-15, quoted-printable
        index(inbox, 3, "mimetools-testmsgs/simple.msg");
        refresh();

        assertThat(search(inbox, TextCriterion.body("VERFÜGUNG"))).containsExactly(1L);
        assertThat(search(inbox, TextCriterion.body("Verf=FCgung"))).isEmpty();
        assertThat(search(inbox, TextCriterion.body("sönderzäichen"))).containsExactly(2L);
        assertThat(search(inbox, TextCriterion.body("grüße"))).containsExactly(2L);
        // A line break in the message matches a space in the search string.
        assertThat(search(inbox, TextCriterion.body("Freundliche Gruesse Guenter Deuschle"))).containsExactly(1L);
        assertThat(search(inbox, TextCriterion.body("Freundliche Gruesse\r\nGuenter"))).containsExactly(1L);
    }

    @Test
    void textMatchesHeaderOrBodyAndHeaderMatchesTheNamedField() {
        Mailbox inbox = newMailbox("alice@example.org");
        index(inbox, 1, "mimetools-testmsgs/lennie.msg");
        index(inbox, 2, "mimetools-testmsgs/simple.msg");
        refresh();

        assertThat(search(inbox, TextCriterion.text("ORGANIZATION: custom computer"))).containsExactly(1L);
        assertThat(search(inbox, TextCriterion.text("rolling web page demo"))).containsExactly(1L);
        assertThat(search(inbox, TextCriterion.text("vacation"))).containsExactly(2L);
        assertThat(search(inbox, TextCriterion.header("Message-ID", "33d89532.29ea"))).containsExactly(1L);
        assertThat(search(inbox, TextCriterion.header("X-MAILER", "mozilla"))).containsExactly(1L);
        assertThat(search(inbox, TextCriterion.header("Subject", "mozilla"))).isEmpty();
        // RFC 3501: HEADER with an empty string matches every message that has the field.
        assertThat(search(inbox, TextCriterion.header("Organization", ""))).containsExactly(1L);
        assertThat(search(inbox, TextCriterion.header("Return-Path", ""))).containsExactly(1L, 2L);
    }

    @Test
    void messageWithoutTextBodyIsIndexedAndItsBinaryContentIsNotSearchable() {
        Mailbox inbox = newMailbox("alice@example.org");
        index(inbox, 1, "mimetools-testmsgs/bluedot-simple.msg"); // a bare image/jpeg message
        index(inbox, 2, "testmsgs/simple-attachment.msg");        // text + application/octet-stream attachment
        refresh();

        assertThat(search(inbox, TextCriterion.header("Content-Type", "image/JPEG"))).containsExactly(1L);
        assertThat(search(inbox, TextCriterion.body(""))).containsExactly(1L, 2L);
        assertThat(search(inbox, TextCriterion.body("/9j/4AAQSkZJRg"))).isEmpty();  // the JPEG's base64
        assertThat(search(inbox, TextCriterion.body("lLzmyQjBC2gw"))).isEmpty();    // the attachment's base64
        assertThat(search(inbox, TextCriterion.body("body."))).containsExactly(2L);
    }

    @Test
    void hugeBodyIsIndexedUpToTheCap() {
        StringBuilder body = new StringBuilder("FIRSTWORD opening line\r\n");
        while (body.length() < 3 * 1024 * 1024) {
            body.append("a long line of filler text in a very large message body\r\n");
        }
        body.append("LASTWORD\r\n");
        byte[] content = ("From: big@example.org\r\nSubject: a three megabyte message\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
        Mailbox inbox = newMailbox("alice@example.org");

        await(indexer.index(inbox, 42, content));
        refresh();

        assertThat(search(inbox, TextCriterion.subject("three megabyte"))).containsExactly(42L);
        assertThat(search(inbox, TextCriterion.body("firstword opening"))).containsExactly(42L);
        assertThat(search(inbox, TextCriterion.body("LASTWORD"))).isEmpty(); // beyond the 1 MiB cap
    }

    @Test
    void hostileHeaderFieldsAreCappedAndTheMessageIsStillIndexedAndFound() {
        StringBuilder content = new StringBuilder();
        content.append("X-").append("N".repeat(40_000)).append(": long name\r\n");
        content.append("Subject: NEEDLE ").append("ü".repeat(40_000)).append("\r\n");
        content.append("To: ");
        for (int i = 0; i < 3_000; i++) {
            content.append(i == 0 ? "" : ", ").append("Ünïcödé ").append(i).append(" <u").append(i).append("@example.org>");
        }
        content.append("\r\nMessage-ID: <").append("m".repeat(20_000)).append("@example.org>\r\n\r\nbody\r\n");
        Mailbox inbox = newMailbox("alice@example.org");

        await(indexer.index(inbox, 9, content.toString().getBytes(StandardCharsets.UTF_8)));
        refresh();

        assertThat(search(inbox, TextCriterion.subject("needle üüü"))).containsExactly(9L);
        assertThat(search(inbox, TextCriterion.to("ÜNÏCÖDÉ 12 <u12@"))).containsExactly(9L);
        assertThat(search(inbox, TextCriterion.body("body"))).containsExactly(9L);
    }

    @Test
    void everyCorpusMessageIsAcceptedByTheMapping() {
        Mailbox inbox = newMailbox("alice@example.org");
        List<String> corpus = Corpus.allMessages();
        for (int i = 0; i < corpus.size(); i++) {
            index(inbox, i + 1, corpus.get(i));
        }
        refresh();

        List<Long> all = LongStream.rangeClosed(1, corpus.size()).boxed().toList();
        assertThat(search(inbox, TextCriterion.text(""))).containsExactlyElementsOf(all);
        int simple = corpus.indexOf("mimetools-testmsgs/simple.msg") + 1;
        assertThat(search(inbox, TextCriterion.subject("request for leave"))).containsExactly((long) simple);
        assertThat(search(inbox, TextCriterion.subject("Two images for you"))).hasSize(4); // four variants
    }

    @Test
    void indexingTheSameUidAgainReplacesTheDocument() {
        Mailbox inbox = newMailbox("alice@example.org");
        index(inbox, 5, "mimetools-testmsgs/simple.msg");
        index(inbox, 5, "mimetools-testmsgs/german-qp.msg");
        refresh();

        assertThat(search(inbox, TextCriterion.subject("request for leave"))).isEmpty();
        assertThat(search(inbox, TextCriterion.subject("testnachricht"))).containsExactly(5L);
        assertThat(search(inbox, TextCriterion.text(""))).containsExactly(5L);
    }

    @Test
    void searchSeesOnlyTheGivenMailbox() {
        Mailbox alice = newMailbox("alice@example.org");
        Mailbox bob = newMailbox("bob@example.org");
        index(alice, 1, "mimetools-testmsgs/simple.msg");
        index(bob, 1, "mimetools-testmsgs/simple.msg");
        index(bob, 2, "mimetools-testmsgs/simple.msg");
        refresh();

        assertThat(search(alice, TextCriterion.subject("leave"))).containsExactly(1L);
        assertThat(search(bob, TextCriterion.subject("leave"))).containsExactly(1L, 2L);
    }

    @Test
    void wildcardCharactersInTheSearchStringMatchLiterally() {
        Mailbox inbox = newMailbox("alice@example.org");
        await(indexer.index(inbox, 1, message("Sale: 50% off *today* only? Yes\\no")));
        await(indexer.index(inbox, 2, message("Plain subject")));
        refresh();

        assertThat(search(inbox, TextCriterion.subject("*"))).containsExactly(1L);
        assertThat(search(inbox, TextCriterion.subject("*TODAY*"))).containsExactly(1L);
        assertThat(search(inbox, TextCriterion.subject("only?"))).containsExactly(1L);
        assertThat(search(inbox, TextCriterion.subject("yes\\no"))).containsExactly(1L);
        assertThat(search(inbox, TextCriterion.subject("p?ain"))).isEmpty();
        assertThat(search(inbox, TextCriterion.subject("pl*ject"))).isEmpty();
    }

    @Test
    void manyConcurrentWritesAreAllSearchableAcrossResultPages() throws Exception {
        Mailbox inbox = newMailbox("alice@example.org");
        OpenSearchMessageIndexer wide = new OpenSearchMessageIndexer(os.connection().async(), os.settings(), extraction,
                new IndexerSettings(200, IndexerSettings.DEFAULT.extraction()));
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (long uid = 1; uid <= 120; uid++) {
                long u = uid;
                writes.add(CompletableFuture.supplyAsync(() -> wide.index(inbox, u, message("concurrent " + u)), callers)
                        .thenCompose(CompletionStage::toCompletableFuture));
            }
            await(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));
        } finally {
            callers.shutdownNow();
        }
        refresh();

        OpenSearchMessageSearch smallPages = new OpenSearchMessageSearch(os.connection().async(), os.settings(), 7, 1_000);
        List<Long> all = LongStream.rangeClosed(1, 120).boxed().toList();
        assertThat(await(smallPages.searchUids(inbox.id(), TextCriterion.subject("concurrent")))).containsExactlyElementsOf(all);
        assertThat(await(smallPages.searchUids(inbox.id(), TextCriterion.subject("concurrent 11"))))
                .containsExactly(11L, 110L, 111L, 112L, 113L, 114L, 115L, 116L, 117L, 118L, 119L);

        OpenSearchMessageSearch bounded = new OpenSearchMessageSearch(os.connection().async(), os.settings(), 7, 50);
        assertThatThrownBy(() -> bounded.searchUids(inbox.id(), TextCriterion.subject("concurrent")).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(io.stratusmail.search.opensearch.query.SearchTooLargeException.class);
    }

    @Test
    void indexNeverRunsOnTheCallersThreadAndRefusesWorkBeyondItsBound() {
        List<Runnable> held = new ArrayList<>();
        OpenSearchMessageIndexer gated = new OpenSearchMessageIndexer(
                os.connection().async(), os.settings(), held::add,
                new IndexerSettings(2, IndexerSettings.DEFAULT.extraction()));
        Mailbox inbox = newMailbox("alice@example.org");

        CompletionStage<Void> first = gated.index(inbox, 1, message("gated one"));
        CompletionStage<Void> second = gated.index(inbox, 2, message("gated two"));
        CompletionStage<Void> third = gated.index(inbox, 3, message("gated three"));

        assertThat(first.toCompletableFuture()).isNotDone();
        assertThat(second.toCompletableFuture()).isNotDone();
        assertThat(third.toCompletableFuture()).isCompletedExceptionally();
        assertThatThrownBy(() -> third.toCompletableFuture().join()).hasCauseInstanceOf(RejectedExecutionException.class);

        List<Runnable> tasks = List.copyOf(held);
        held.clear();
        tasks.forEach(Runnable::run);
        await(first);
        await(second);
        CompletionStage<Void> fourth = gated.index(inbox, 4, message("gated four")); // permits are back
        held.forEach(Runnable::run);
        await(fourth);
        refresh();

        assertThat(search(inbox, TextCriterion.subject("gated"))).containsExactly(1L, 2L, 4L);
    }

    @Test
    void unreachableOpenSearchFailsTheStageAndLogsOneLineWithoutContent() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(OpenSearchMessageIndexer.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        ConnectionSettings nowhere = new ConnectionSettings(
                URI.create("http://127.0.0.1:1"), Duration.ofSeconds(2), Duration.ofSeconds(2), 2);
        try (OpenSearchConnection down = OpenSearchConnection.open(nowhere)) {
            OpenSearchMessageIndexer unreachable =
                    new OpenSearchMessageIndexer(down.async(), os.settings(), extraction, IndexerSettings.DEFAULT);
            Mailbox inbox = newMailbox("alice@example.org");

            CompletableFuture<Void> stage = unreachable.index(inbox, 7, message("SECRETWORD in the subject"))
                    .toCompletableFuture();

            assertThatThrownBy(() -> stage.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(java.io.IOException.class);
            assertThat(appender.list).hasSize(1);
            String line = appender.list.get(0).getFormattedMessage();
            assertThat(line).contains("event=index_failed", "mailbox_id=" + inbox.id(), "uid=7")
                    .doesNotContain("SECRETWORD");
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void writesNeverRecreateADeletedIndexBehindTheAlias() throws Exception {
        MessageIndexSettings settings = OpenSearchFixture.uniqueSettings();
        MessageIndex index = new MessageIndex(os.connection().async(), settings);
        await(index.ensureExists());
        OpenSearchFixture.deleteIndices(os.connection(), settings);
        OpenSearchMessageIndexer orphan =
                new OpenSearchMessageIndexer(os.connection().async(), settings, extraction, IndexerSettings.DEFAULT);

        CompletableFuture<Void> stage = orphan.index(newMailbox("alice@example.org"), 1, message("lost")).toCompletableFuture();

        assertThatThrownBy(() -> stage.get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(org.opensearch.client.opensearch._types.OpenSearchException.class);
        assertThat(os.connection().blocking().indices().exists(e -> e.index(settings.alias())).value()).isFalse();
    }

    private static byte[] message(String subject) {
        return ("From: sender@example.org\r\nTo: alice@example.org\r\nSubject: " + subject + "\r\n\r\nhello\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
