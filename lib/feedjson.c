/*
 * feedjson.c: a parse result as feedcmp/1 JSON (the contract in
 * ../shared/bench/feed_compare.py) and as a summary for people.
 * Entries are written as they complete, so output memory stays flat.
 */
#include <stdlib.h>
#include <string.h>

#include "gleaner.h"

/* The same escaping into a buffer (for JSON kept in the database). */
void
json_buf_string(struct buf *b, const char *s)
{
	const unsigned char *p, *run;

	if (s == NULL) {
		buf_adds(b, "null");
		return;
	}
	buf_addc(b, '"');
	for (p = run = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x20 && *p != '"' && *p != '\\')
			continue;
		buf_add(b, run, (size_t)(p - run));
		switch (*p) {
		case '"': buf_adds(b, "\\\""); break;
		case '\\': buf_adds(b, "\\\\"); break;
		case '\n': buf_adds(b, "\\n"); break;
		case '\r': buf_adds(b, "\\r"); break;
		case '\t': buf_adds(b, "\\t"); break;
		default: buf_printf(b, "\\u%04x", *p);
		}
		run = p + 1;
	}
	buf_add(b, run, (size_t)(p - run));
	buf_addc(b, '"');
}

void
json_put_string(FILE *fp, const char *s)
{
	const unsigned char *p;

	if (s == NULL) {
		fputs("null", fp);
		return;
	}
	fputc('"', fp);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", fp); break;
		case '\\': fputs("\\\\", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		case '\t': fputs("\\t", fp); break;
		default:
			if (*p < 0x20)
				fprintf(fp, "\\u%04x", *p);
			else
				fputc(*p, fp);
		}
	}
	fputc('"', fp);
}

static void
put_date(FILE *fp, int64_t t)
{
	char d[21];

	if (t == DATE_NONE) {
		fputs("null", fp);
		return;
	}
	date_format(t, d);
	json_put_string(fp, d);
}

/* Length in code points of what a reader sees of a text construct. */
static long
text_len(const char *s, int type)
{
	char  *t;
	long   n;

	if (s == NULL)
		return -1;
	t = type == TEXT_PLAIN ? text_collapse_ws(s, strlen(s)) : text_from_html(s, strlen(s));
	if (t == NULL)
		return -1;
	n = (long)utf8_length(t, strlen(t));
	free(t);
	return n;
}

static void
put_len(FILE *fp, long n)
{
	if (n < 0)
		fputs("null", fp);
	else
		fprintf(fp, "%ld", n);
}

void
feedjson_begin(FILE *fp, const char *file)
{
	fputs("{\"schema\":\"feedcmp/1\",\"file\":", fp);
	json_put_string(fp, file);
	fputs(",\"parser\":\"gleaner " GLEANER_VERSION "\",\"entries\":[", fp);
}

void
feedjson_item(FILE *fp, const struct feed_item *it, int first)
{
	size_t i;
	int    n = 0;

	fputs(first ? "\n{\"id\":" : ",\n{\"id\":", fp);
	json_put_string(fp, it->id);
	fputs(",\"link\":", fp);
	json_put_string(fp, it->link);
	fputs(",\"title\":", fp);
	json_put_string(fp, it->title);
	fputs(",\"published\":", fp);
	put_date(fp, it->published);
	fputs(",\"updated\":", fp);
	put_date(fp, it->updated);
	fputs(",\"author\":", fp);
	json_put_string(fp, it->author);
	fputs(",\"summary_len\":", fp);
	if (it->summary)
		put_len(fp, text_len(it->summary, it->summary_type));
	else if (it->content && !it->content_src)
		put_len(fp, text_len(it->content, it->content_type));
	else
		fputs("null", fp);
	fputs(",\"content_len\":", fp);
	put_len(fp, it->content_src ? 0 : text_len(it->content, it->content_type));
	fputs(",\"enclosures\":[", fp);
	for (i = 0; i < it->nenclosures; i++) {
		if (it->enclosures[i].media)
			continue;
		if (n++)
			fputc(',', fp);
		json_put_string(fp, it->enclosures[i].url);
	}
	fputs("],\"media\":[", fp);
	for (i = 0, n = 0; i < it->nenclosures; i++) {
		if (!it->enclosures[i].media)
			continue;
		if (n++)
			fputc(',', fp);
		json_put_string(fp, it->enclosures[i].url);
	}
	fputs("],\"categories\":[", fp);
	for (i = 0; i < it->ncategories; i++) {
		if (i)
			fputc(',', fp);
		json_put_string(fp, it->categories[i]);
	}
	fprintf(fp, "],\"ident\":\"%s\",\"line\":%u}", it->ident, it->line);
}

void
feedjson_end(FILE *fp, const struct feed *f)
{
	fputs("\n],\"format\":", fp);
	json_put_string(fp, feed_format_name(f->format));
	fprintf(fp, ",\"bozo\":%s,\"bozo_reason\":", f->bozo ? "true" : "false");
	json_put_string(fp, f->bozo ? f->bozo_reason : NULL);
	fputs(",\"encoding\":", fp);
	json_put_string(fp, f->encoding);
	fputs(",\"feed\":{\"title\":", fp);
	json_put_string(fp, f->title);
	fputs(",\"link\":", fp);
	json_put_string(fp, f->link);
	fputs(",\"description\":", fp);
	json_put_string(fp, f->description);
	fputs(",\"language\":", fp);
	json_put_string(fp, f->language);
	fputs(",\"generator\":", fp);
	json_put_string(fp, f->generator);
	fputs(",\"image\":", fp);
	json_put_string(fp, f->image);
	fputs(",\"icon\":", fp);
	json_put_string(fp, f->icon);
	fputs(",\"self\":", fp);
	json_put_string(fp, f->self);
	fputs(",\"hub\":", fp);
	json_put_string(fp, f->hub);
	fprintf(fp, ",\"ttl\":");
	if (f->ttl >= 0)
		fprintf(fp, "%d", f->ttl);
	else
		fputs("null", fp);
	fprintf(fp, ",\"skip_hours\":%u,\"skip_days\":%u},\"entry_count\":%zu}\n", f->skip_hours,
		(unsigned)f->skip_days, f->nitems);
}

void
feed_print_summary(FILE *fp, const struct feed *f)
{
	size_t i;

	fprintf(fp, "Feed:     %s\n", f->title ? f->title : "(untitled)");
	fprintf(fp, "Format:   %s\n",
		*feed_format_name(f->format) ? feed_format_name(f->format) : "not a feed");
	if (f->encoding)
		fprintf(fp, "Charset:  %s\n", f->encoding);
	if (f->link)
		fprintf(fp, "Link:     %s\n", f->link);
	if (f->self)
		fprintf(fp, "Self:     %s\n", f->self);
	if (f->language)
		fprintf(fp, "Language: %s\n", f->language);
	if (f->ttl >= 0)
		fprintf(fp, "TTL:      %d min\n", f->ttl);
	if (f->bozo)
		fprintf(fp, "Repaired: %s\n", f->bozo_reason);
	fprintf(fp, "Entries:  %zu\n", f->nitems);
	for (i = 0; i < f->nkept; i++) {
		const struct feed_item *it = &f->items[i];
		char                    d[21] = "";

		if (it->published != DATE_NONE)
			date_format(it->published, d);
		else if (it->updated != DATE_NONE)
			date_format(it->updated, d);
		fprintf(fp, "\n%3zu. %s\n", i + 1, it->title ? it->title : "(no title)");
		if (*d)
			fprintf(fp, "     date:   %s\n", d);
		if (it->author)
			fprintf(fp, "     author: %s\n", it->author);
		if (it->link)
			fprintf(fp, "     link:   %s\n", it->link);
		if (it->id && (!it->link || strcmp(it->id, it->link)))
			fprintf(fp, "     id:     %s\n", it->id);
		for (size_t e = 0; e < it->nenclosures; e++)
			if (!it->enclosures[e].media)
				fprintf(fp, "     file:   %s%s%s\n", it->enclosures[e].url,
					it->enclosures[e].type ? " " : "",
					it->enclosures[e].type ? it->enclosures[e].type : "");
	}
}
