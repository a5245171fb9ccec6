package io.stratusmail.imap.search;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.ESearchResponse;
import io.stratusmail.imap.response.ResponseCode;
import io.stratusmail.imap.response.SearchResponse;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SelectedMailbox;
import io.stratusmail.imap.session.SessionState;
import io.stratusmail.mailbox.message.MessageRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SEARCH and UID SEARCH [RETURN (options)] [CHARSET charset] search-key ... (RFC 3501 sections 6.4.4 and 6.4.8,
 * RFC 4731, RFC 7162 section 3.1.5): answers {@code * SEARCH} with the matching MSNs (UIDs for UID SEARCH),
 * ascending, then {@code tag OK}. With RETURN it answers {@code * ESEARCH (TAG "tag") [UID] ...} instead, with
 * the options asked for (MIN, MAX, ALL, COUNT; an empty list means ALL; SAVE is not supported and gets
 * {@code BAD}). When the key uses MODSEQ, the highest MODSEQ of the matches follows ({@code (MODSEQ n)}), and
 * CONDSTORE is enabled. Charsets US-ASCII and UTF-8 are accepted; any other gets
 * {@code NO [BADCHARSET (US-ASCII UTF-8)]}.
 *
 * <p>Evaluation scans the session's view in batches of {@value #BATCH} messages and reads only what the key
 * needs: flags, MSNs and UIDs come from the view; size and INTERNALDATE from the store's records (read per
 * batch, only for messages the flags did not decide); header and body text from the content, up to
 * {@value #TEXT_READS} messages read at once and decoded by {@link SearchableMessage} on
 * {@link ImapSession#parsing()} threads, never on the event loop. Memory stays bounded by
 * {@value #TEXT_READ_OCTETS} octets of content (or one larger message) and the result. Messages expunged by another
 * session meanwhile do not match; no EXPUNGE is sent during SEARCH (RFC 3501 section 7.4.1).
 *
 * @param uid        whether this is UID SEARCH
 * @param key        the criterion, or null when the charset is not supported
 * @param badCharset the unsupported charset the client asked for, or null
 * @param returns    the RFC 4731 RETURN options (upper case), or null for a plain {@code * SEARCH} answer
 */
public record SearchCommand(String tag, boolean uid, SearchKey key, String badCharset, Set<String> returns)
        implements ImapCommand {

    /** RETURN options this server answers (RFC 4731 section 3.1). */
    static final Set<String> RETURN_OPTIONS = Set.of("MIN", "MAX", "ALL", "COUNT");

    /** Charsets for search strings (RFC 3501 requires US-ASCII and UTF-8), as advertised in BADCHARSET. */
    public static final List<String> CHARSETS = List.of("US-ASCII", "UTF-8");
    /** Messages per batch of records. */
    static final int BATCH = 500;
    /** Content reads under way at once for text keys (see {@code TextReads}). */
    static final int TEXT_READS = 8;
    /** Octets, by the records' sizes, those reads may hold at once; a larger message is read alone. */
    static final long TEXT_READ_OCTETS = 4L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(SearchCommand.class);

    /** Reads {@code [SP "RETURN" SP "(" [option *(SP option)] ")"] [SP "CHARSET" SP astring] 1*(SP search-key)}. */
    public static SearchCommand parse(String tag, CommandReader args, boolean uid) throws ParseException {
        args.sp();
        Set<String> returns = null;
        if (args.tryKeyword("RETURN")) {
            args.sp();
            returns = returnOptions(args);
            args.sp();
        }
        if (args.tryKeyword("CHARSET")) {
            args.sp();
            String charset = new String(args.astring(), StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
            if (!CHARSETS.contains(charset)) {
                // The rest cannot be decoded without the charset: answer NO without reading it.
                return new SearchCommand(tag, uid, null, charset, returns);
            }
            args.sp();
        }
        return new SearchCommand(tag, uid, SearchParser.parse(args), null, returns);
    }

    /** {@code "(" [search-return-opt *(SP search-return-opt)] ")"}; {@code ()} means ALL (RFC 4731 section 3.1). */
    private static Set<String> returnOptions(CommandReader args) throws ParseException {
        args.expect('(');
        Set<String> options = new java.util.TreeSet<>();
        if (!args.tryConsume(')')) {
            do {
                String option = args.atom().toUpperCase(Locale.ROOT);
                if (!RETURN_OPTIONS.contains(option)) {
                    throw new ParseException("Unsupported SEARCH RETURN option " + (option.length() > 32
                            ? option.substring(0, 32) + "..." : option) + " (MIN, MAX, ALL, COUNT)");
                }
                options.add(option);
            } while (args.tryConsume(' '));
            args.expect(')');
        }
        if (options.isEmpty()) {
            options.add("ALL");
        }
        return Set.copyOf(options);
    }

    @Override
    public String name() {
        return uid ? "UID SEARCH" : "SEARCH";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.SELECTED_ONLY;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        if (badCharset != null) {
            return CompletableFuture.completedFuture(StatusResponse.no(tag, ResponseCode.badCharset(CHARSETS),
                    "Charset not supported for SEARCH"));
        }
        Run run = new Run(session, session.selected());
        if (run.matcher.usesModSeq()) {
            session.enableCondstore();
        }
        long started = System.nanoTime();
        return run.batch(1).thenApply(v -> {
            long modSeq = run.matcher.usesModSeq() ? run.highestModSeq : 0;
            session.send(returns == null ? new SearchResponse(run.result(), modSeq)
                    : new ESearchResponse(tag, uid, returns, run.result(), modSeq));
            LOG.debug("event=imap.search session={} messages={} contents={} hits={} millis={}", session.id(),
                    run.selected.exists(), run.contentsRead, run.hits.cardinality(),
                    (System.nanoTime() - started) / 1_000_000);
            return StatusResponse.ok(tag, name() + " completed");
        });
    }

    /** One execution over the view, on the session's event loop. */
    private final class Run {
        final ImapSession session;
        final SelectedMailbox selected;
        final SearchMatcher matcher;
        /** Matching MSNs. */
        final BitSet hits = new BitSet();
        /** Highest MODSEQ of the hits, when the key uses MODSEQ (each hit then has its record). */
        long highestModSeq;
        int contentsRead;

        Run(ImapSession session, SelectedMailbox selected) {
            this.session = session;
            this.selected = selected;
            int n = selected.exists();
            this.matcher = new SearchMatcher(key, n, n == 0 ? 0 : selected.uid(n));
        }

        /**
         * Evaluates the messages from MSN {@code from} on, a batch at a time. Batches that the view alone decides
         * run in a loop; a batch that needs the store continues asynchronously (so the stack never grows).
         */
        CompletionStage<Void> batch(int from) {
            int start = from;
            while (start <= selected.exists()) {
                int to = Math.min(selected.exists(), start + BATCH - 1);
                List<SearchMatcher.Message> undecided = new ArrayList<>();
                for (int msn = start; msn <= to; msn++) {
                    SearchMatcher.Message m = new SearchMatcher.Message(msn, selected.uid(msn), selected.flags(msn),
                            selected.recent(msn), null, null);
                    decide(m, matcher.match(m), undecided);
                }
                if (!undecided.isEmpty()) {
                    int next = to + 1;
                    return withRecords(undecided)
                            .thenCompose(this::withTexts)
                            .thenCompose(v -> batch(next));
                }
                start = to + 1;
            }
            return CompletableFuture.completedFuture(null);
        }

        private void decide(SearchMatcher.Message m, Match match, List<SearchMatcher.Message> undecided) {
            if (match == Match.TRUE && matcher.usesModSeq() && m.record() == null) {
                undecided.add(m); // a hit whose MODSEQ is still unknown
            } else if (match == Match.TRUE) {
                hit(m);
            } else if (match == Match.UNKNOWN) {
                undecided.add(m);
            }
        }

        /** Reads the records of the undecided messages when the key needs them; returns those still undecided. */
        CompletionStage<List<SearchMatcher.Message>> withRecords(List<SearchMatcher.Message> undecided) {
            if (undecided.isEmpty() || !matcher.needsRecord()) {
                return CompletableFuture.completedFuture(undecided);
            }
            List<Long> uids = new ArrayList<>(undecided.size());
            undecided.forEach(m -> uids.add(m.uid()));
            return session.onEventLoop(session.services().messages().records(selected.mailbox().id(), uids))
                    .thenApply(records -> {
                        Map<Long, MessageRecord> byUid = new HashMap<>();
                        records.forEach(r -> byUid.put(r.uid(), r));
                        List<SearchMatcher.Message> still = new ArrayList<>();
                        for (SearchMatcher.Message m : undecided) {
                            MessageRecord r = byUid.get(m.uid());
                            if (r != null) { // null: expunged meanwhile, no match
                                SearchMatcher.Message known = m.withRecord(r);
                                decide(known, matcher.match(known), still);
                            }
                        }
                        return still;
                    });
        }

        /**
         * Reads and decodes the content of the undecided messages, several at once ({@link TextReads}); first reads
         * the records of those without one, for their sizes (a message gone meanwhile does not match).
         */
        CompletionStage<Void> withTexts(List<SearchMatcher.Message> undecided) {
            List<Long> unsized = new ArrayList<>();
            undecided.forEach(m -> {
                if (m.record() == null) {
                    unsized.add(m.uid());
                }
            });
            if (unsized.isEmpty()) {
                return new TextReads(undecided).run();
            }
            return session.onEventLoop(session.services().messages().records(selected.mailbox().id(), unsized))
                    .thenCompose(records -> {
                        Map<Long, MessageRecord> byUid = new HashMap<>();
                        records.forEach(r -> byUid.put(r.uid(), r));
                        List<SearchMatcher.Message> sized = new ArrayList<>(undecided.size());
                        for (SearchMatcher.Message m : undecided) {
                            MessageRecord r = m.record() != null ? m.record() : byUid.get(m.uid());
                            if (r != null) {
                                sized.add(m.record() != null ? m : m.withRecord(r));
                            }
                        }
                        return new TextReads(sized).run();
                    });
        }

        /**
         * The content reads of one batch: up to {@value #TEXT_READS} at once, holding at most
         * {@value #TEXT_READ_OCTETS} octets by the records' sizes (a larger message is read alone), so the store
         * round trips overlap while memory stays bounded. Hits are a set, so completion order does not matter.
         * Event loop only.
         */
        private final class TextReads {
            private final List<SearchMatcher.Message> messages;
            private final CompletableFuture<Void> done = new CompletableFuture<>();
            private int next;
            private int inFlight;
            private long octetsInFlight;

            TextReads(List<SearchMatcher.Message> messages) {
                this.messages = messages;
            }

            CompletionStage<Void> run() {
                launch();
                return done;
            }

            private void launch() {
                while (next < messages.size() && inFlight < TEXT_READS) {
                    SearchMatcher.Message m = messages.get(next);
                    long size = m.record().size();
                    if (inFlight > 0 && octetsInFlight + size > TEXT_READ_OCTETS) {
                        break;
                    }
                    next++;
                    inFlight++;
                    octetsInFlight += size;
                    session.onEventLoop(session.services().messages().content(selected.mailbox().id(), m.uid()))
                            .thenCompose(content -> session.onEventLoop(evaluate(m, content)))
                            .whenComplete((match, failure) -> {
                                inFlight--;
                                octetsInFlight -= size;
                                if (done.isDone()) {
                                    return;
                                }
                                if (failure != null) {
                                    done.completeExceptionally(failure);
                                    return;
                                }
                                if (match) {
                                    hit(m);
                                }
                                launch();
                            });
                }
                if (next == messages.size() && inFlight == 0) {
                    done.complete(null);
                }
            }
        }

        /** Decodes and matches on a parsing thread; false when the message is gone. */
        private CompletionStage<Boolean> evaluate(SearchMatcher.Message m, Optional<byte[]> content) {
            if (content.isEmpty()) {
                return CompletableFuture.completedFuture(false);
            }
            contentsRead++;
            byte[] octets = content.get();
            return CompletableFuture.supplyAsync(
                    () -> matcher.match(m.withText(SearchableMessage.parse(octets))) == Match.TRUE,
                    session.parsing());
        }

        private void hit(SearchMatcher.Message m) {
            hits.set(m.msn());
            if (m.record() != null) {
                highestModSeq = Math.max(highestModSeq, m.record().modSeq());
            }
        }

        long[] result() {
            long[] out = new long[hits.cardinality()];
            int n = 0;
            for (int msn = hits.nextSetBit(0); msn >= 0; msn = hits.nextSetBit(msn + 1)) {
                out[n++] = uid ? selected.uid(msn) : msn;
            }
            return out;
        }
    }
}
