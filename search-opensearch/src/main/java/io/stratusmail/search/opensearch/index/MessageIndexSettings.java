package io.stratusmail.search.opensearch.index;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names and shape of the message index.
 *
 * <p>Requests go through the alias, never the versioned index, so that a reindex into a new version
 * ({@code stratus-messages-v2}) can switch readers and writers by moving the alias.
 *
 * @param indexName the concrete index created at start-up when the alias does not exist
 * @param alias     the name every read and write uses
 * @param shards    primary shards of a new index (at least 1); documents are routed by mailbox ID, so one
 *                  mailbox's SEARCH reads one shard
 * @param replicas  replicas of each shard (0 for a single-node test cluster)
 */
public record MessageIndexSettings(String indexName, String alias, int shards, int replicas) {

    /** Lower-case, no characters OpenSearch refuses in index names, at most 200 characters. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,199}");

    /** {@code stratus-messages-v1} behind {@code stratus-messages}, 1 shard, 1 replica. */
    public static final MessageIndexSettings DEFAULT = new MessageIndexSettings("stratus-messages-v1", "stratus-messages", 1, 1);

    public MessageIndexSettings {
        Objects.requireNonNull(indexName, "indexName");
        Objects.requireNonNull(alias, "alias");
        if (!NAME.matcher(indexName).matches() || !NAME.matcher(alias).matches()) {
            throw new IllegalArgumentException("index and alias names must match " + NAME.pattern());
        }
        if (indexName.equals(alias)) {
            throw new IllegalArgumentException("the alias must differ from the index name");
        }
        if (shards < 1 || replicas < 0) {
            throw new IllegalArgumentException("shards must be at least 1 and replicas at least 0");
        }
    }
}
