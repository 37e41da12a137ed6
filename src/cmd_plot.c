/* leaky plot (being written). */
#include "cmd.h"
#include "leaky.h"

int cmd_plot(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	error("not implemented yet");
	return LEAKY_FAIL;
}
