#include "xmlsafe.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdio.h>
#include <string.h>

typedef struct xml_guard {
  int allow_doctype;
  int line;          /* of the refused declaration, 0 if none */
  const char* what;  /* what was refused */
  char msg[600];     /* first libxml2 error */
  int msg_line;
} xml_guard;

static void capture_error(void* ctx, xmlErrorPtr e)
{
  xml_guard* g = ctx;
  if (g->msg[0] || !e)
    return;
  g->msg_line = e->line;
  snprintf(g->msg, sizeof g->msg, "%s", e->message ? e->message : "XML error");
  size_t len = strlen(g->msg);
  while (len && (g->msg[len - 1] == '\n' || g->msg[len - 1] == ' '))
    g->msg[--len] = '\0';
}

/* Records what was refused at the parser's current line and stops the parser. */
static void refuse(void* ctx, const char* what)
{
  xmlParserCtxtPtr ctxt = ctx;
  xml_guard* g = ctxt->_private;
  if (!g->line) {
    g->line = ctxt->input ? ctxt->input->line : 1;
    g->what = what;
  }
  xmlStopParser(ctxt);
}

static void on_doctype(void* ctx, const xmlChar* name, const xmlChar* ext, const xmlChar* sys)
{
  (void)name, (void)ext, (void)sys;
  xmlParserCtxtPtr ctxt = ctx;
  xml_guard* g = ctxt->_private;
  if (!g->allow_doctype)
    refuse(ctx, "a document type declaration (DOCTYPE, DTD) is not allowed");
}

static void on_entity(void* ctx, const xmlChar* name, int type, const xmlChar* pub, const xmlChar* sys,
                      xmlChar* content)
{
  (void)name, (void)type, (void)pub, (void)sys, (void)content;
  refuse(ctx, "an entity declaration (DTD) is not allowed");
}

static void on_element(void* ctx, const xmlChar* name, int type, xmlElementContentPtr content)
{
  (void)name, (void)type, (void)content;
  refuse(ctx, "an element declaration (DTD) is not allowed");
}

static void on_attribute(void* ctx, const xmlChar* elem, const xmlChar* fullname, int type, int def,
                         const xmlChar* defaultValue, xmlEnumerationPtr tree)
{
  (void)elem, (void)fullname, (void)type, (void)def, (void)defaultValue;
  xmlFreeEnumeration(tree); /* the callback owns it */
  refuse(ctx, "an attribute declaration (DTD) is not allowed");
}

static void on_notation(void* ctx, const xmlChar* name, const xmlChar* pub, const xmlChar* sys)
{
  (void)name, (void)pub, (void)sys;
  refuse(ctx, "a notation declaration (DTD) is not allowed");
}

xmlDoc* mvm_xml_read_untrusted(const char* path, int allow_doctype, mvm_error* err)
{
  xml_guard g = {.allow_doctype = allow_doctype};
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt) {
    mvm_err_set(err, MVM_ENOMEM, "%s: out of memory", path);
    return NULL;
  }
  ctxt->_private = &g;
  ctxt->sax->internalSubset = on_doctype;
  ctxt->sax->entityDecl = on_entity;
  ctxt->sax->elementDecl = on_element;
  ctxt->sax->attributeDecl = on_attribute;
  ctxt->sax->notationDecl = on_notation;
  xmlSetStructuredErrorFunc(&g, capture_error);
  xmlDoc* doc = xmlCtxtReadFile(ctxt, path, NULL, XML_PARSE_NONET);
  xmlSetStructuredErrorFunc(NULL, NULL);
  xmlFreeParserCtxt(ctxt);
  if (g.line) {
    xmlFreeDoc(doc);
    mvm_err_set(err, MVM_EINPUT, "%s:%d: %s", path, g.line, g.what);
    return NULL;
  }
  if (!doc) {
    if (!g.msg[0])
      mvm_err_set(err, MVM_EINPUT, "%s: cannot read the file", path);
    else
      mvm_err_set(err, MVM_EINPUT, "%s:%d: malformed XML: %s", path, g.msg_line, g.msg);
  }
  return doc;
}
