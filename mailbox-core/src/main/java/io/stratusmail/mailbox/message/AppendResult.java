package io.stratusmail.mailbox.message;

/**
 * The outcome of a committed append.
 *
 * @param uidValidity UIDVALIDITY of the target mailbox (RFC 4315 APPENDUID)
 * @param record      the stored message with its allocated UID and MODSEQ
 */
public record AppendResult(long uidValidity, MessageRecord record) {
}
