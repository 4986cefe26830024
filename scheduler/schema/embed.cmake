# Turns a text file into a C string: -DIN=file -DOUT=file.c
file(READ ${IN} content)
string(REPLACE "\\" "\\\\" content "${content}")
string(REPLACE "\"" "\\\"" content "${content}")
string(REPLACE "\n" "\\n\"\n\"" content "${content}")
file(WRITE ${OUT} "/* generated from scenario.xsd */\nconst char mvm_scenario_xsd[] = \"${content}\";\n")
