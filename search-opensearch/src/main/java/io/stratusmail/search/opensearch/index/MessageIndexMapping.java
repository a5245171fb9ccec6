package io.stratusmail.search.opensearch.index;

import static io.stratusmail.search.opensearch.index.MessageFields.BCC;
import static io.stratusmail.search.opensearch.index.MessageFields.BODY;
import static io.stratusmail.search.opensearch.index.MessageFields.CC;
import static io.stratusmail.search.opensearch.index.MessageFields.DATE;
import static io.stratusmail.search.opensearch.index.MessageFields.FROM;
import static io.stratusmail.search.opensearch.index.MessageFields.HEADERS;
import static io.stratusmail.search.opensearch.index.MessageFields.MAILBOX_ID;
import static io.stratusmail.search.opensearch.index.MessageFields.MESSAGE_ID;
import static io.stratusmail.search.opensearch.index.MessageFields.SENT_DATE;
import static io.stratusmail.search.opensearch.index.MessageFields.SIZE;
import static io.stratusmail.search.opensearch.index.MessageFields.SUBJECT;
import static io.stratusmail.search.opensearch.index.MessageFields.SUBSTRING;
import static io.stratusmail.search.opensearch.index.MessageFields.TO;
import static io.stratusmail.search.opensearch.index.MessageFields.TRUNCATED;
import static io.stratusmail.search.opensearch.index.MessageFields.UID;
import static io.stratusmail.search.opensearch.index.MessageFields.USER;

import org.opensearch.client.opensearch._types.mapping.DynamicMapping;
import org.opensearch.client.opensearch._types.mapping.Property;
import org.opensearch.client.opensearch._types.mapping.TypeMapping;
import org.opensearch.client.opensearch.indices.CreateIndexRequest;

/**
 * Settings and mapping of the message index, version 1.
 *
 * <p>RFC 3501 section 6.4.4 SEARCH string keys are case-insensitive substring matches, which word-based
 * {@code text} fields cannot answer ({@code "ello"} is not a token of {@code "Hello"}). Each searchable text
 * field therefore has a {@code substring} subfield of the core {@code wildcard} type (OpenSearch 2.15+): it
 * indexes 3-grams and verifies candidates against the value, so {@code *ello*} finds {@code Hello} exactly.
 * The subfield's {@value #LOWERCASE} normalizer folds case at index time and in the query pattern alike.
 *
 * <p>Candidates are verified against doc values, which hold at most 32,766 octets per value: enough for
 * header-derived values ({@link io.stratusmail.search.opensearch.text.ExtractionLimits#MAX_HEADER_CHARS}
 * characters), not for a body. {@code body.substring} keeps no doc values and is verified against
 * {@code _source} instead, after the mailbox filter has cut the candidates down.
 *
 * <p>The mapping is strict: a document with an unknown field is refused rather than growing the mapping.
 */
public final class MessageIndexMapping {

    /** The normalizer of the substring subfields: Unicode lower case of the whole value. */
    public static final String LOWERCASE = "stratus_lowercase";

    private MessageIndexMapping() {
    }

    /** The create-index request: settings, mapping and the alias (as the write index). */
    public static CreateIndexRequest createIndexRequest(MessageIndexSettings settings) {
        return CreateIndexRequest.of(create -> create
                .index(settings.indexName())
                .aliases(settings.alias(), alias -> alias.isWriteIndex(true))
                .settings(index -> index
                        .numberOfShards(settings.shards())
                        .numberOfReplicas(settings.replicas())
                        .analysis(analysis -> analysis.normalizer(
                                LOWERCASE, normalizer -> normalizer.custom(custom -> custom.filter("lowercase")))))
                .mappings(MessageIndexMapping::mapping));
    }

    private static TypeMapping.Builder mapping(TypeMapping.Builder mapping) {
        return mapping
                .dynamic(DynamicMapping.Strict)
                .properties(USER, p -> p.keyword(k -> k))
                .properties(MAILBOX_ID, p -> p.keyword(k -> k))
                .properties(UID, p -> p.long_(l -> l))
                .properties(SUBJECT, p -> searchableText(p, true))
                .properties(FROM, p -> searchableText(p, true))
                .properties(TO, p -> searchableText(p, true))
                .properties(CC, p -> searchableText(p, true))
                .properties(BCC, p -> searchableText(p, true))
                .properties(BODY, p -> searchableText(p, false))
                .properties(HEADERS, p -> substring(p, true))
                // ignore_malformed: a date the extractor let through must not cost the whole document.
                .properties(DATE, p -> p.date(d -> d.format("strict_date_optional_time").ignoreMalformed(true)))
                .properties(SENT_DATE, p -> p.date(d -> d.format("strict_date").ignoreMalformed(true)))
                .properties(MESSAGE_ID, p -> p.keyword(k -> k.ignoreAbove(2048)))
                .properties(SIZE, p -> p.long_(l -> l))
                .properties(TRUNCATED, p -> p.boolean_(b -> b));
    }

    /** A text field (word search) with a substring subfield (RFC 3501 substring search). */
    private static Property.Builder searchableText(Property.Builder property, boolean docValues) {
        property.text(text -> text.fields(SUBSTRING, sub -> substring(sub, docValues)));
        return property;
    }

    private static Property.Builder substring(Property.Builder property, boolean docValues) {
        property.wildcard(wildcard -> wildcard.normalizer(LOWERCASE).docValues(docValues));
        return property;
    }
}
