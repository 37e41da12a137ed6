/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: the profile.proto decoder and its validity rules. */
#include "unit.h"

#include "decode/pprof.h"
#include "decode/reader.h"
#include "model/profile.h"
#include "proto/profile.pb-c.h"

typedef Perftools__Profiles__Profile Pb;

static const struct prof_limits lim = {
	.max_input = 1 << 20, .max_inflated = 1 << 20, .max_memory = 1 << 24,
};

/* A two-frame heap-like profile; tests bend one field, then pack it. */
struct fixture {
	Pb pb;
	Perftools__Profiles__ValueType vt[2], *vtp[2], period;
	Perftools__Profiles__Function fn[2], *fnp[2];
	Perftools__Profiles__Line line[3], *linep[3];
	Perftools__Profiles__Location loc[2], *locp[2];
	Perftools__Profiles__Sample sample, *samplep[1];
	Perftools__Profiles__Label label, *labelp[1];
	Perftools__Profiles__Mapping map, *mapp[1];
	uint64_t locids[2];
	int64_t values[2];
	char *strings[9];
};

static void fixture_init(struct fixture *f)
{
	static const char *const s[] = {
		"", "alloc_space", "bytes", "inuse_space", "main.inner",
		"main.outer", "app.go", "route", "/bin/app",
	};
	size_t i;

	memset(f, 0, sizeof(*f));
	perftools__profiles__profile__init(&f->pb);
	for (i = 0; i < 9; i++)
		f->strings[i] = (char *)s[i];
	f->pb.n_string_table = 9;
	f->pb.string_table = f->strings;
	for (i = 0; i < 2; i++) {
		perftools__profiles__value_type__init(&f->vt[i]);
		f->vt[i].type = i ? 3 : 1;
		f->vt[i].unit = 2;
		f->vtp[i] = &f->vt[i];
		perftools__profiles__function__init(&f->fn[i]);
		f->fn[i].id = 10 + i;
		f->fn[i].name = 4 + (int64_t)i;
		f->fn[i].filename = 6;
		f->fnp[i] = &f->fn[i];
	}
	f->pb.n_sample_type = 2;
	f->pb.sample_type = f->vtp;
	f->pb.n_function = 2;
	f->pb.function = f->fnp;
	perftools__profiles__value_type__init(&f->period);
	f->pb.period_type = &f->period;
	f->pb.period = 524288;
	/* Location 100: inner inlined into outer; location 200: outer. */
	for (i = 0; i < 3; i++) {
		perftools__profiles__line__init(&f->line[i]);
		f->line[i].function_id = i == 0 ? 10 : 11;
		f->line[i].line = 7 + (int64_t)i;
		f->linep[i] = &f->line[i];
	}
	perftools__profiles__mapping__init(&f->map);
	f->map.id = 1;
	f->map.filename = 8;
	f->mapp[0] = &f->map;
	f->pb.n_mapping = 1;
	f->pb.mapping = f->mapp;
	for (i = 0; i < 2; i++) {
		perftools__profiles__location__init(&f->loc[i]);
		f->loc[i].id = 100 * (i + 1);
		f->loc[i].mapping_id = 1;
		f->loc[i].address = 0x1000 + i;
		f->locp[i] = &f->loc[i];
	}
	f->loc[0].n_line = 2;
	f->loc[0].line = f->linep;
	f->loc[1].n_line = 1;
	f->loc[1].line = f->linep + 2;
	f->pb.n_location = 2;
	f->pb.location = f->locp;
	perftools__profiles__label__init(&f->label);
	f->label.key = 7;
	f->label.num = 4096;
	f->labelp[0] = &f->label;
	perftools__profiles__sample__init(&f->sample);
	f->locids[0] = 100;
	f->locids[1] = 200;
	f->sample.n_location_id = 2;
	f->sample.location_id = f->locids;
	f->values[0] = 8192;
	f->values[1] = 4096;
	f->sample.n_value = 2;
	f->sample.value = f->values;
	f->sample.n_label = 1;
	f->sample.label = f->labelp;
	f->samplep[0] = &f->sample;
	f->pb.n_sample = 1;
	f->pb.sample = f->samplep;
	f->pb.time_nanos = 1700000000123456789;
	f->pb.duration_nanos = 5;
}

static struct profile *decode(const struct fixture *f)
{
	size_t n = perftools__profiles__profile__get_packed_size(&f->pb);
	uint8_t *b = malloc(n + 1);
	struct profile *p;

	perftools__profiles__profile__pack(&f->pb, b);
	p = profile_decode("t", b, n, &lim, NULL);
	free(b);
	return p;
}

static void good(void **state)
{
	struct fixture f;
	struct profile *p;
	const struct prof_location *l;
	char *types;

	(void)state;
	fixture_init(&f);
	p = decode(&f);
	assert_non_null(p);
	assert_int_equal(p->ntypes, 2);
	assert_int_equal(p->default_type, 1);
	assert_true(p->has_time);
	assert_int_equal(p->time_nanos, 1700000000123456789);
	assert_int_equal(p->nsamples, 1);
	assert_int_equal(p->samples[0].nlocs, 2);
	l = &p->locations[p->samples[0].locs[0]];
	assert_int_equal(l->nlines, 2);
	assert_string_equal(p->functions[l->lines[0].func].name, "main.inner");
	assert_string_equal(p->functions[l->lines[1].func].name, "main.outer");
	assert_int_equal(l->mapping, 0);
	assert_string_equal(p->mappings[0].filename, "/bin/app");
	assert_int_equal(p->samples[0].values[1], 4096);
	assert_string_equal(p->samples[0].labels[0].key, "route");
	assert_null(p->samples[0].labels[0].str);
	assert_int_equal(p->samples[0].labels[0].num, 4096);
	assert_int_equal(profile_find_type(p, "inuse_space"), 1);
	assert_int_equal(profile_find_type(p, "alloc_space/bytes"), 0);
	assert_int_equal(profile_find_type(p, "alloc_space/count"), -1);
	types = profile_describe_types(p, 1);
	assert_string_equal(types, "alloc_space/bytes,inuse_space/bytes");
	free(types);
	types = profile_describe_types(p, 0);
	assert_string_equal(types, "alloc_space,inuse_space");
	free(types);
	profile_free(p);
}

static void default_sample_type(void **state)
{
	struct fixture f;
	struct profile *p;

	(void)state;
	fixture_init(&f);
	f.pb.default_sample_type = 1;
	p = decode(&f);
	assert_non_null(p);
	assert_int_equal(p->default_type, 0);
	profile_free(p);
}

static void sparse_ids(void **state)
{
	struct fixture f;
	struct profile *p;

	(void)state;
	fixture_init(&f);
	/* Far apart ids take the sorted path instead of the dense one. */
	f.loc[1].id = 1ULL << 60;
	f.locids[1] = 1ULL << 60;
	p = decode(&f);
	assert_non_null(p);
	assert_string_equal(p->functions[p->locations[p->samples[0].locs[1]]
			    .lines[0].func].name, "main.outer");
	profile_free(p);
}

static void invalid(void **state)
{
	struct fixture f;
	struct profile *p;
	int i;

	(void)state;
	for (i = 0; i < 11; i++) {
		fixture_init(&f);
		switch (i) {
		case 0: f.fn[1].name = 9; break;		/* out of range */
		case 1: f.fn[1].name = -1; break;
		case 2: f.strings[0] = "x"; break;
		case 3: f.fn[1].id = 10; break;		/* duplicate */
		case 4: f.loc[0].id = 0; break;		/* zero id */
		case 5: f.locids[1] = 300; break;	/* dangling */
		case 6: f.line[2].function_id = 12; break;
		case 7: f.loc[1].mapping_id = 2; break;
		case 8: f.sample.n_value = 1; break;
		case 9: f.pb.n_sample_type = 0; break;
		case 10: f.label.key = 99; break;
		}
		p = decode(&f);
		if (p)
			fail_msg("case %d decoded", i);
	}
}

static void not_protobuf(void **state)
{
	static const uint8_t junk[] = { 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f };
	static const uint8_t badwire[] = { 0x0f, 0x01 };

	(void)state;
	assert_null(pprof_decode("j", junk, sizeof(junk), &lim));
	assert_null(pprof_decode("j", badwire, sizeof(badwire), &lim));
	assert_null(pprof_decode("j", junk, 0, &lim));
}

static void memory_budget(void **state)
{
	struct fixture f;
	struct prof_limits tiny = lim;
	size_t n;
	uint8_t *b;

	(void)state;
	fixture_init(&f);
	n = perftools__profiles__profile__get_packed_size(&f.pb);
	b = malloc(n);
	perftools__profiles__profile__pack(&f.pb, b);
	tiny.max_memory = 64;
	assert_null(pprof_decode("t", b, n, &tiny));
	free(b);
}

static void drop_frames(void **state)
{
	struct fixture f;
	struct profile *p;
	const struct prof_location *l;

	(void)state;
	/* Dropping the inlined inner frame leaves its caller as the leaf. */
	fixture_init(&f);
	f.strings[7] = "main\\.inner";
	f.pb.drop_frames = 7;
	p = decode(&f);
	assert_non_null(p);
	assert_int_equal(p->samples[0].nlocs, 2);
	l = &p->locations[p->samples[0].locs[0]];
	assert_int_equal(l->nlines, 1);
	assert_string_equal(p->functions[l->lines[0].func].name, "main.outer");
	profile_free(p);

	/* Every frame matches: nothing before a user frame is pruned. */
	f.strings[7] = "main\\..*";
	p = decode(&f);
	assert_non_null(p);
	assert_int_equal(p->samples[0].nlocs, 2);
	profile_free(p);

	/* keep_frames rescues a match; a bad regex rejects the file. */
	f.strings[7] = "main\\.inner";
	f.pb.keep_frames = 7;
	p = decode(&f);
	assert_non_null(p);
	assert_int_equal(p->locations[p->samples[0].locs[0]].nlines, 2);
	profile_free(p);
	f.strings[7] = "(";
	assert_null(decode(&f));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good),
		cmocka_unit_test(default_sample_type),
		cmocka_unit_test(sparse_ids),
		cmocka_unit_test(invalid),
		cmocka_unit_test(not_protobuf),
		cmocka_unit_test(memory_budget),
		cmocka_unit_test(drop_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
