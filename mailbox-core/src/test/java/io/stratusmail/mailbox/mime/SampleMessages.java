package io.stratusmail.mailbox.mime;

import java.nio.charset.StandardCharsets;

/**
 * Messages built to reproduce the examples of RFC 3501 section 7.4.2 exactly, shared with the ENVELOPE and
 * BODYSTRUCTURE encoder tests of the IMAP module (through mailbox-core's test-jar).
 */
public final class SampleMessages {

    private SampleMessages() {
    }

    /**
     * A message whose ENVELOPE is the one of RFC 3501's FETCH example:
     * {@code ("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev1 WG mtg summary and minutes" (("Terry Gray" NIL
     * "gray" "cac.washington.edu")) ... "<B27397-0100000@cac.washington.edu>")}.
     */
    public static byte[] rfc3501EnvelopeExample() {
        return ascii("Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\n"
                + "From: Terry Gray <gray@cac.washington.edu>\r\n"
                + "Subject: IMAP4rev1 WG mtg summary and minutes\r\n"
                + "To: imap@cac.washington.edu\r\n"
                + "cc: minutes@CNRI.Reston.VA.US,\r\n"
                + "    John Klensin <KLENSIN@MIT.EDU>\r\n"
                + "Message-Id: <B27397-0100000@cac.washington.edu>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n"
                + "\r\n"
                + "Minutes of the meeting.\r\n");
    }

    /**
     * A message whose BODY is the one of RFC 3501's example: {@code (("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL
     * NIL "7BIT" 1152 23)("TEXT" "PLAIN" ("CHARSET" "US-ASCII" "NAME" "cc.diff")
     * "<960723163407.20117h@cac.washington.edu>" "Compiler diff" "BASE64" 4554 73) "MIXED")}.
     */
    public static byte[] rfc3501BodyStructureExample() {
        StringBuilder m = new StringBuilder()
                .append("From: Terry Gray <gray@cac.washington.edu>\r\n")
                .append("Subject: cc.diff\r\n")
                .append("MIME-Version: 1.0\r\n")
                .append("Content-Type: MULTIPART/MIXED; BOUNDARY=\"=_rfc3501\"\r\n")
                .append("\r\n")
                .append("--=_rfc3501\r\n")
                .append("Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n")
                .append("\r\n");
        // 1152 octets in 23 lines: 22 lines of 48 characters and one of 50, each ending in CRLF
        for (int i = 0; i < 22; i++) {
            m.append(line('t', 48));
        }
        m.append(line('t', 50));
        m.append("\r\n--=_rfc3501\r\n")
                .append("Content-Type: TEXT/PLAIN; CHARSET=US-ASCII; NAME=cc.diff\r\n")
                .append("Content-ID: <960723163407.20117h@cac.washington.edu>\r\n")
                .append("Content-Description: Compiler diff\r\n")
                .append("Content-Transfer-Encoding: BASE64\r\n")
                .append("\r\n");
        // 4554 octets in 73 lines: 72 lines of 60 characters and one of 88
        for (int i = 0; i < 72; i++) {
            m.append(line('Q', 60));
        }
        m.append(line('Q', 88));
        m.append("\r\n--=_rfc3501--\r\n");
        return ascii(m.toString());
    }

    private static String line(char c, int length) {
        return String.valueOf(c).repeat(length) + "\r\n";
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
