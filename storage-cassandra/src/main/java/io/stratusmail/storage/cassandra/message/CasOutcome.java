package io.stratusmail.storage.cassandra.message;

/**
 * Result of a conditional batch on a mailbox partition.
 *
 * @param applied whether the batch was committed
 * @param current when not applied, the partition's statics the condition met (null when the answer did
 *                not carry both)
 */
record CasOutcome(boolean applied, PartitionState current) {
}
