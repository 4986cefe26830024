/* mvm — reading an untrusted XML file with libxml2 (private to the library). */
#ifndef MVM_XMLSAFE_H
#define MVM_XMLSAFE_H

#include "mvm/error.h"

#include <libxml/tree.h>

/* Parses path with no network access, no DTD loading, no entity substitution and libxml2's
 * size and depth limits left on (never XML_PARSE_HUGE). A document type declaration with
 * an internal subset (<!ENTITY ...>, <!ELEMENT ...>: what a billion-laughs file needs) is
 * refused as soon as it is met; a bare <!DOCTYPE x SYSTEM "..."> only if !allow_doctype.
 * Returns the document (free with xmlFreeDoc), or NULL with err set to MVM_EINPUT
 * ("file:line: what") or MVM_ENOMEM. */
xmlDoc* mvm_xml_read_untrusted(const char* path, int allow_doctype, mvm_error* err);

#endif
