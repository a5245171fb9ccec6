package io.stratusmail.storage.cassandra.verify;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.StorageUnavailableException;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Reads one user's partition of {@code mailboxes} as one consistent version (every row carries the static
 * {@code registry_change}; a read that sees two values is repeated) and repairs it the way the registry itself
 * changes: one conditional batch {@code IF registry_change = <read>} that sets a new {@code registry_change},
 * so a concurrent CREATE/DELETE/RENAME either commits first (the repair loses and is planned again) or fails its
 * own condition and re-reads.
 */
final class RegistryCheck {

    /** One row: a mailbox ({@code id} and {@code uidValidity} set) or a placeholder (both null). */
    record Entry(String name, UUID id, Long uidValidity) {
    }

    /**
     * A consistent read of the partition.
     *
     * @param entries         the rows, in storage order
     * @param lastUidValidity the user's UIDVALIDITY counter, null when unset
     * @param version         {@code registry_change}, null when no change was ever committed
     * @param exists          whether the partition has anything at all
     */
    record Registry(List<Entry> entries, Long lastUidValidity, UUID version, boolean exists) {
    }

    private final CqlSession session;
    private final CassandraStoreConfig config;
    private final PreparedStatement read;
    private final PreparedStatement advance;
    private final PreparedStatement placeholder;

    RegistryCheck(CqlSession session, CassandraStoreConfig config) {
        this.session = session;
        this.config = config;
        String t = config.table("mailboxes");
        this.read = session.prepare("SELECT name, id, uid_validity, last_uid_validity, registry_change FROM " + t
                + " WHERE owner = ?");
        this.advance = session.prepare("UPDATE " + t + " SET registry_change = ?, last_uid_validity = ?"
                + " WHERE owner = ? IF registry_change = ?");
        this.placeholder = session.prepare("INSERT INTO " + t + " (owner, name) VALUES (?, ?)");
    }

    /**
     * The partition of {@code owner}, paged.
     *
     * @throws StorageUnavailableException when it kept changing during {@code maxCasAttempts} reads
     */
    Registry read(String owner) {
        for (int attempt = 1; attempt <= config.maxCasAttempts(); attempt++) {
            List<Entry> entries = new ArrayList<>();
            Set<UUID> versions = new HashSet<>();
            Long last = null;
            boolean exists = false;
            for (Row row : session.execute(read.bind(owner).setConsistencyLevel(config.consistency())
                    .setIdempotent(true).setPageSize(config.pageSize()))) {
                exists = true;
                versions.add(row.isNull("registry_change") ? new UUID(0, 0) : row.getUuid("registry_change"));
                last = row.isNull("last_uid_validity") ? last : Long.valueOf(row.getLong("last_uid_validity"));
                if (!row.isNull("name")) {
                    entries.add(new Entry(row.getString("name"), row.getUuid("id"),
                            row.isNull("uid_validity") ? null : row.getLong("uid_validity")));
                }
            }
            if (versions.size() <= 1) {
                UUID version = versions.isEmpty() ? null : versions.iterator().next();
                return new Registry(entries, last, new UUID(0, 0).equals(version) ? null : version, exists);
            }
        }
        throw new StorageUnavailableException("read mailboxes: registry of " + owner + " kept changing while read",
                null);
    }

    /**
     * What is wrong with a registry, as findings without a repair outcome, and the repair plan.
     *
     * @param findings         every problem, in name order
     * @param missingParents   names to insert as {@code \Noselect} placeholders
     * @param lastUidValidity  the counter value the repair writes (null: leave it)
     */
    record Plan(List<Finding> findings, Set<String> missingParents, Long lastUidValidity,
                Set<Finding> repairable) {

        boolean repairs() {
            return !repairable.isEmpty();
        }
    }

    /** Checks the rows of one consistent read. */
    static Plan plan(String owner, Registry registry) {
        List<Finding> findings = new ArrayList<>();
        Set<Finding> repairable = new HashSet<>();
        Set<String> names = new HashSet<>();
        registry.entries().forEach(e -> names.add(e.name()));
        Set<String> missing = new TreeSet<>();
        java.util.Map<UUID, String> ids = new java.util.HashMap<>();
        java.util.Map<Long, String> validities = new java.util.HashMap<>();
        long maxValidity = 0;
        for (Entry e : registry.entries()) {
            MailboxName name;
            try {
                name = new MailboxName(e.name());
            } catch (IllegalArgumentException bad) {
                findings.add(finding(owner, e.name(), "invalid_name", "reason", bad.getMessage()));
                continue;
            }
            if ((e.id() == null) != (e.uidValidity() == null)) {
                findings.add(finding(owner, e.name(), "registry_row_incomplete",
                        "id", String.valueOf(e.id()), "uid_validity", String.valueOf(e.uidValidity())));
            }
            for (MailboxName ancestor : name.ancestors()) {
                if (!names.contains(ancestor.value())) {
                    missing.add(ancestor.value());
                }
            }
            if (e.id() != null) {
                String other = ids.putIfAbsent(e.id(), e.name());
                if (other != null) {
                    findings.add(finding(owner, e.name(), "duplicate_mailbox_id", "id", e.id().toString(),
                            "other", other));
                }
            }
            if (e.uidValidity() != null) {
                maxValidity = Math.max(maxValidity, e.uidValidity());
                String other = validities.putIfAbsent(e.uidValidity(), e.name());
                if (other != null) {
                    findings.add(finding(owner, e.name(), "duplicate_uid_validity", "uid_validity",
                            e.uidValidity().toString(), "other", other));
                }
            }
        }
        for (String parent : missing) {
            Finding f = finding(owner, parent, "missing_parent");
            findings.add(f);
            repairable.add(f);
        }
        Long counter = null;
        if (maxValidity > 0 && (registry.lastUidValidity() == null || registry.lastUidValidity() < maxValidity)) {
            // a counter below a used UIDVALIDITY would let a new mailbox reuse it (RFC 3501 section 2.3.1.1)
            Finding f = finding(owner, null, "uid_validity_counter_behind", "stored",
                    String.valueOf(registry.lastUidValidity()), "largest_used", String.valueOf(maxValidity));
            findings.add(f);
            repairable.add(f);
            counter = maxValidity;
        }
        return new Plan(findings, missing, counter, repairable);
    }

    /**
     * Inserts the missing placeholders and raises the UIDVALIDITY counter in one conditional batch on the
     * version that was read.
     *
     * @return whether it was applied
     */
    boolean repair(String owner, Registry registry, Plan plan) {
        Long counter = plan.lastUidValidity() != null ? plan.lastUidValidity() : registry.lastUidValidity();
        BatchStatementBuilder batch = new BatchStatementBuilder(DefaultBatchType.LOGGED)
                .setConsistencyLevel(config.consistency()).setSerialConsistencyLevel(config.serialConsistency())
                .addStatement(advance.bind(UUID.randomUUID(), counter, owner, registry.version()));
        for (String name : plan.missingParents()) {
            batch.addStatement(placeholder.bind(owner, name));
        }
        return session.execute(batch.build()).wasApplied();
    }

    private static Finding finding(String owner, String mailbox, String problem, String... keyValues) {
        java.util.Map<String, String> details = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            details.put(keyValues[i], Objects.toString(keyValues[i + 1]));
        }
        return new Finding(owner, mailbox, problem, details, Finding.Repair.NOT_ASKED);
    }
}
