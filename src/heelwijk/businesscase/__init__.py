"""Social business cases: opgaven, SROI/MKBA, who pays and who gains."""
