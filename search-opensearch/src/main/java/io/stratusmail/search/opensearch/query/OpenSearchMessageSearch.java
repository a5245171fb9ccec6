package io.stratusmail.search.opensearch.query;

import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.search.opensearch.client.AsyncCall;
import io.stratusmail.search.opensearch.index.MessageFields;
import io.stratusmail.search.opensearch.index.MessageIndexSettings;
import io.stratusmail.search.opensearch.text.SearchText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Hit;

/**
 * Answers RFC 3501 SEARCH string keys ({@link TextCriterion}) for one mailbox from the index: the UIDs of
 * the indexed messages whose part contains the string, case-insensitively.
 *
 * <p>The string is put in {@link SearchText} normal form, as indexed text is, so whitespace runs and line
 * breaks match one space and leading/trailing whitespace is not significant. Only indexed messages are
 * seen: the SEARCH command adds the not-yet-indexed tail from the store (architecture invariant 5).
 *
 * <p>Results are read in pages sorted by UID ({@code search_after}), without {@code _source}.
 */
public final class OpenSearchMessageSearch {

    /** UIDs fetched per request by default (below OpenSearch's 10,000 {@code max_result_window}). */
    public static final int DEFAULT_PAGE_SIZE = 5_000;

    private final OpenSearchAsyncClient client;
    private final MessageIndexSettings index;
    private final int pageSize;
    private final int maxResults;

    /** A search with {@link #DEFAULT_PAGE_SIZE}. */
    public OpenSearchMessageSearch(OpenSearchAsyncClient client, MessageIndexSettings index, int maxResults) {
        this(client, index, DEFAULT_PAGE_SIZE, maxResults);
    }

    /**
     * @param client     the non-blocking client
     * @param index      the index (its alias is read)
     * @param pageSize   UIDs fetched per request, 1 to 10,000
     * @param maxResults most UIDs one search may return (at least 1); more fail the search with
     *                   {@link SearchTooLargeException} rather than holding an unbounded list
     */
    public OpenSearchMessageSearch(
            OpenSearchAsyncClient client, MessageIndexSettings index, int pageSize, int maxResults) {
        if (pageSize < 1 || pageSize > 10_000 || maxResults < 1) {
            throw new IllegalArgumentException("pageSize must be 1 to 10000 and maxResults at least 1");
        }
        this.client = Objects.requireNonNull(client, "client");
        this.index = Objects.requireNonNull(index, "index");
        this.pageSize = pageSize;
        this.maxResults = maxResults;
    }

    /**
     * The UIDs of the indexed messages of a mailbox that match a criterion.
     *
     * @param mailbox   the mailbox
     * @param criterion the SEARCH key
     * @return the UIDs in ascending order; fails with the client's exception when OpenSearch cannot answer,
     *         or with {@link SearchTooLargeException}
     */
    public CompletionStage<List<Long>> searchUids(MailboxId mailbox, TextCriterion criterion) {
        Query query = Query.of(q -> q.bool(b -> b
                .filter(f -> f.term(t -> t.field(MessageFields.MAILBOX_ID).value(FieldValue.of(mailbox.toString()))))
                .filter(match(criterion))));
        return page(mailbox.toString(), query, null, new ArrayList<>());
    }

    private CompletableFuture<List<Long>> page(String routing, Query query, Long after, List<Long> uids) {
        CompletableFuture<SearchResponse<Void>> response = AsyncCall.run(() -> client.search(s -> {
            s.index(index.alias())
                    .routing(routing)
                    .query(query)
                    .size(pageSize)
                    .source(src -> src.fetch(false))
                    .trackTotalHits(t -> t.enabled(false))
                    .sort(o -> o.field(f -> f.field(MessageFields.UID).order(SortOrder.Asc)));
            if (after != null) {
                s.searchAfter(FieldValue.of(after));
            }
            return s;
        }, Void.class));
        return response.thenCompose(page -> {
            List<Hit<Void>> hits = page.hits().hits();
            for (Hit<Void> hit : hits) {
                uids.add(hit.sort().get(0).longValue());
            }
            if (uids.size() > maxResults) {
                return CompletableFuture.failedFuture(new SearchTooLargeException(maxResults));
            }
            if (hits.size() < pageSize) {
                return CompletableFuture.completedFuture(List.copyOf(uids));
            }
            return page(routing, query, uids.get(uids.size() - 1), uids);
        });
    }

    private static Query match(TextCriterion criterion) {
        String contains = "*" + escape(SearchText.normalize(criterion.value())) + "*";
        return switch (criterion.key()) {
            case SUBJECT -> wildcard(MessageFields.substring(MessageFields.SUBJECT), contains);
            case FROM -> wildcard(MessageFields.substring(MessageFields.FROM), contains);
            case TO -> wildcard(MessageFields.substring(MessageFields.TO), contains);
            case CC -> wildcard(MessageFields.substring(MessageFields.CC), contains);
            case BCC -> wildcard(MessageFields.substring(MessageFields.BCC), contains);
            case BODY -> wildcard(MessageFields.substring(MessageFields.BODY), contains);
            case HEADER -> wildcard(MessageFields.HEADERS,
                    escape(criterion.fieldName().orElseThrow().toLowerCase(Locale.ROOT)) + ":" + contains);
            case TEXT -> Query.of(q -> q.bool(b -> b
                    .should(wildcard(MessageFields.HEADERS, contains))
                    .should(wildcard(MessageFields.substring(MessageFields.BODY), contains))
                    .minimumShouldMatch("1")));
        };
    }

    private static Query wildcard(String field, String pattern) {
        return Query.of(q -> q.wildcard(w -> w.field(field).value(pattern)));
    }

    /** Escapes the wildcard syntax ({@code * ? \}) so that the string matches literally. */
    static String escape(String literal) {
        StringBuilder escaped = new StringBuilder(literal.length() + 8);
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == '*' || c == '?' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
