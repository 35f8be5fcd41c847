/*
 * fuzz_selector.c: libFuzzer harness for selector_to_xpath().  Whatever it
 * returns for a CSS selector must compile (it checks that itself and says
 * "internal translation error" otherwise: a bug here) and evaluate on a
 * small page; every error must name a position.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpath.h>

#include "gleaner.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char page[] =
    "<html><body><div class='a b' id=x><p data-k='v'>t</p></div></body></html>";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static xmlDoc *doc;
	char	       err[512], *sel, *xp, lead;

	if (size > 4096)
		return 0;
	if (doc == NULL) {
		doc = html_parse(page, sizeof(page) - 1, "UTF-8", NULL, err, sizeof(err));
		if (doc == NULL)
			abort();
	}
	if ((sel = malloc(size + 1)) == NULL)
		return 0;
	memcpy(sel, data, size);
	sel[size] = '\0';
	xp = selector_to_xpath(sel, err, sizeof(err));
	lead = sel[strspn(sel, " \t\n\r\f")];
	if (xp == NULL) {
		/* A translation that does not compile is this file's bug. */
		if (strncmp(err, lead == '/' || lead == '(' ? "xpath '" : "selector '", 7) != 0 &&
		    strncmp(err, "selector '", 10) != 0)
			abort();
		if (lead != '/' && lead != '(' && strstr(err, "': internal translation error"))
			abort();
	} else if (lead != '/' && lead != '(') {
		/* Only translations: user XPath may be as slow as it likes. */
		xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
		xmlXPathObjectPtr  r = xmlXPathEvalExpression((const xmlChar *)xp, ctx);

		if (r == NULL || r->type != XPATH_NODESET)
			abort();
		xmlXPathFreeObject(r);
		xmlXPathFreeContext(ctx);
	}
	free(xp);
	free(sel);
	return 0;
}
