/* main.c - kabar, a terminal browser for news read offline. */
#include "config.h"

#include <locale.h>

#include "kabar/cli.h"

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	return kb_cli_main(argc, argv);
}
