/**
 * MIME parsing for FETCH (RFC 3501 sections 6.4.5 and 7.4.2, RFC 9051): {@link
 * io.stratusmail.mailbox.mime.ParsedMessage} locates a stored message's header, body and parts by byte offsets
 * and derives its {@link io.stratusmail.mailbox.mime.Envelope ENVELOPE}, {@link
 * io.stratusmail.mailbox.mime.BodyStructure BODYSTRUCTURE} and the octets of any {@link
 * io.stratusmail.mailbox.mime.BodySection BODY[section]}. Structure is found in place (no copy, no
 * re-encoding); field syntax (parameters, addresses) is parsed with Apache James mime4j. {@link
 * io.stratusmail.mailbox.mime.MessageSummary} is all of that computed once at delivery and stored beside the
 * message, so that FETCH of metadata never reads the message and a section reads only its octet range.
 */
package io.stratusmail.mailbox.mime;
