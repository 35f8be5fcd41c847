/*
 * extract_int.h: shared by the extract_*.c files only.
 */
#ifndef EXTRACT_INT_H
#define EXTRACT_INT_H

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "gleaner.h"

/* Per-element figures for one subtree, computed in one post-order pass
 * (nstat_compute) and kept in xmlNode._private, so that no decision
 * recounts a subtree (Readability's recount is quadratic). */
struct nstat {
	unsigned text;    /* characters, whitespace runs counted once */
	unsigned link;    /* of which inside <a href>, "#" links at 0.3 */
	unsigned hlink;   /* of which inside in-page "#" links, in full */
	unsigned commas;  /* , and its CJK and Arabic forms */
	unsigned ptext;   /* characters inside <p>, <pre>, <blockquote>, <li> */
	unsigned p, img, li, input, embed, heading, a;
	unsigned htext;   /* characters inside h1-h6 */
	double	 score;   /* Readability's content score */
	int	 scored;  /* score initialized */
};

struct xctx {
	htmlDocPtr  doc;
	const char *url;
	char	   *title;        /* the article title, for heading checks */
	struct nstat *stats;      /* one per element, from nstat_compute */
	size_t	    nstats;
};

/* extract_dom.c */
int  tag_is(const xmlNode *, const char *name);
int  tag_in(const xmlNode *, const char *const *sorted, size_t n);
int  is_heading_tag(const xmlNode *);
const char *attr(const xmlNode *, const char *name); /* NULL if absent; valid until the node changes */
/* Whole sub-word test on class and id: "post-related_list" has the
 * sub-words post, related, list.  words is a sorted array. */
int  class_has_word(const xmlNode *, const char *const *words, size_t n, int id_too);
/* The tokens of class and id as one lower-cased, space-separated string
 * (sub-words split on '-', '_' and spaces) in out. */
void class_words(const xmlNode *, char *out, size_t outsz);
xmlNode *next_node(xmlNode *n, const xmlNode *root, int descend); /* document order within root */
void remove_node(xmlNode *);
void unwrap_node(xmlNode *);
/* Counts characters as the metric's text would: whitespace runs once. */
unsigned text_chars(const xmlNode *);
char *node_text(const xmlNode *, size_t max); /* collapsed text, malloc'd */
int  nstat_compute(struct xctx *, xmlNode *root);
void nstat_drop(struct xctx *, xmlNode *root);
static inline struct nstat *
ns(const xmlNode *n)
{
	return (struct nstat *)n->_private;
}
double link_density(const xmlNode *);
int  is_block_tag(const xmlNode *);

/* extract_meta.c */
struct meta {
	char   *title, *byline, *site_name, *lang, *excerpt, *lead_image, *canonical;
	char   *og_url;
	char   *jsonld_body;      /* JSON-LD articleBody, tags stripped */
	int64_t published;
};
void meta_read(struct xctx *, struct meta *);
void meta_clear(struct meta *);

/* extract_clean.c */
void preclean(struct xctx *, xmlNode *root);
void prune(struct xctx *, xmlNode *root, int strict);

/* extract_score.c */
xmlNode *find_by_class(struct xctx *, xmlNode *body);
xmlNode *readability(struct xctx *, htmlDocPtr doc, int flags);
enum { RB_STRIP_UNLIKELY = 1, RB_WEIGHT_CLASSES = 2, RB_CLEAN_COND = 4 };
double class_weight(const xmlNode *);

/* extract_text.c */
int  title_similar(const char *a, const char *b); /* word overlap > 0.75 */

#endif
