package io.stratusmail.mailbox.mime;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.DomainList;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.LenientAddressParser;

/**
 * Builds the {@link Envelope} of a message header. Addresses are parsed by mime4j's lenient RFC 5322 address
 * parser, which accepts the obsolete and broken forms found in real mail and never fails.
 */
final class EnvelopeParser {

    private EnvelopeParser() {
    }

    static Envelope parse(ByteBuffer content, MimeHeader header) {
        List<Address> from = addresses(content, header, MimeHeader.FROM);
        List<Address> sender = addresses(content, header, MimeHeader.SENDER);
        List<Address> replyTo = addresses(content, header, MimeHeader.REPLY_TO);
        return new Envelope(
                header.text(content, MimeHeader.DATE),
                header.text(content, MimeHeader.SUBJECT),
                from,
                sender.isEmpty() ? from : sender,
                replyTo.isEmpty() ? from : replyTo,
                addresses(content, header, MimeHeader.TO),
                addresses(content, header, MimeHeader.CC),
                addresses(content, header, MimeHeader.BCC),
                header.text(content, MimeHeader.IN_REPLY_TO),
                header.text(content, MimeHeader.MESSAGE_ID));
    }

    private static List<Address> addresses(ByteBuffer content, MimeHeader header, String field) {
        byte[] value = header.value(content, field);
        return value == null ? List.of() : addresses(value);
    }

    /**
     * The ENVELOPE addresses of an address-list value (unfolded octets). Groups become start marker, members,
     * end marker. Display names keep RFC 2047 encoded-words as written (see {@link Mime4jInput}). At most
     * {@link Envelope#MAX_ADDRESSES} entries are kept; a group cut short still gets its end marker.
     */
    static List<Address> addresses(byte[] value) {
        Mime4jInput input = Mime4jInput.of(value);
        AddressList list;
        try {
            list = LenientAddressParser.DEFAULT.parseAddressList(input.sequence(), input.cursor());
        } catch (RuntimeException e) {
            // The lenient parser is not known to throw; if it does, keep the text rather than lose it.
            return List.of(new Address(null, null, HeaderText.decode(value), ""));
        }
        List<Address> out = new ArrayList<>();
        for (org.apache.james.mime4j.dom.address.Address a : list) {
            if (out.size() >= Envelope.MAX_ADDRESSES) {
                break;
            }
            if (a instanceof Group group) {
                String name = input.text(group.getName());
                out.add(Address.groupStart(name == null ? "" : name));
                for (Mailbox m : group.getMailboxes()) {
                    if (out.size() >= Envelope.MAX_ADDRESSES - 1) {
                        break;
                    }
                    out.add(address(m, input));
                }
                out.add(Address.GROUP_END);
            } else if (a instanceof Mailbox m) {
                out.add(address(m, input));
            }
        }
        return out;
    }

    private static Address address(Mailbox m, Mime4jInput input) {
        String name = input.text(m.getName());
        DomainList route = m.getRoute();
        String adl = route == null || route.isEmpty() ? null : input.text(route.toRouteString());
        String mailbox = input.text(m.getLocalPart());
        String host = input.text(m.getDomain());
        return new Address(name == null || name.isEmpty() ? null : name, adl,
                mailbox == null ? "" : asLocalPart(mailbox), host == null ? "" : host);
    }

    /**
     * The local part as RFC 5322 section 3.4.1 writes it: a dot-atom stays as it is, anything else becomes a
     * quoted-string again, so that a client joining {@code mailbox@host} gets a valid address (clients such as
     * Angus Mail reject an ENVELOPE whose mailbox is {@code a b} or holds control characters unquoted).
     */
    static String asLocalPart(String local) {
        if (isDotAtom(local)) {
            return local;
        }
        StringBuilder quoted = new StringBuilder(local.length() + 2).append('"');
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return quoted.append('"').toString();
    }

    private static boolean isDotAtom(String s) {
        if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
            return s.isEmpty();
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean atext = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-/=?^_`{|}~.".indexOf(c) >= 0 || c >= 0x80;
            if (!atext) {
                return false;
            }
        }
        return true;
    }
}
