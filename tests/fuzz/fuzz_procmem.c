/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: procmem_parse (pmap, pmap -x, smaps...), then its CSV. */
#include "fuzz.h"
#include "out/csvout.h"
#include "decode/procmem.h"
#include "out/memcsv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct procmem *pm;
	struct csvout c;
	size_t i;

	pm = procmem_parse("fuzz", (const char *)data, size);
	if (!pm)
		return 0;
	csvout_init(&c, fuzz_sink());
	csvout_str(&c, procmem_format_name(pm->format));
	memcsv_totals(&c, pm);
	csvout_end(&c);
	for (i = 0; i < pm->nmappings; i++) {
		memcsv_mapping(&c, pm, i);
		csvout_end(&c);
	}
	csvout_release(&c);
	procmem_free(pm);
	return 0;
}
