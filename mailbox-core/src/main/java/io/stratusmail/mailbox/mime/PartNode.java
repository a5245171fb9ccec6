package io.stratusmail.mailbox.mime;

import java.util.List;

/**
 * A MIME entity as a node of the part tree: a multipart has parts, a {@code message/rfc822} (or
 * {@code message/global}) part has the message it encapsulates. Lets {@link ParsedMessage} (offsets over the
 * content) and {@link MessageSummary} (stored offsets) number parts the same way.
 *
 * @param <N> the concrete node type
 */
interface PartNode<N extends PartNode<N>> {

    /** The parts of a multipart, in order; empty otherwise. */
    List<N> parts();

    /** The encapsulated message of a message part; null otherwise. */
    N message();

    default boolean isMultipart() {
        return !parts().isEmpty();
    }

    /**
     * The entity that part specifier {@code numbers} (RFC 3501 section 6.4.5, e.g. {@code [2, 1]} for
     * {@code BODY[2.1]}) names below the top-level message {@code root}, or null when there is none. Parts of a
     * multipart are numbered from 1; a message part's numbers continue into the encapsulated message; a message
     * that is not a multipart has a part 1, itself.
     */
    static <N extends PartNode<N>> N locate(N root, List<Integer> numbers) {
        N part = root;
        boolean isMessage = true;
        for (int number : numbers) {
            part = child(part, isMessage, number);
            isMessage = false;
            if (part == null) {
                return null;
            }
        }
        return part;
    }

    private static <N extends PartNode<N>> N child(N parent, boolean parentIsMessage, int number) {
        N container;
        boolean message;
        if (parentIsMessage) {
            container = parent;
            message = true;
        } else if (parent.message() != null) {
            container = parent.message();
            message = true;
        } else if (parent.isMultipart()) {
            container = parent;
            message = false;
        } else {
            return null;
        }
        if (container.isMultipart()) {
            return number <= container.parts().size() ? container.parts().get(number - 1) : null;
        }
        return message && number == 1 ? container : null;
    }
}
