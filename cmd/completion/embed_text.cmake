# Writes a text file into a C++ header as one raw string literal:
#   cmake -DINPUT=FILE -DOUTPUT=HEADER -DNAME=kIdentifier [-DTOUCH=ON] -P embed_text.cmake
# (cmd/CMakeLists.txt embeds the bash completion script this way).
file(READ ${INPUT} text)
set(delimiter "SPOTFORM_EMBED")
string(FIND "${text}" ")${delimiter}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw string delimiter )${delimiter}\"")
endif()
file(WRITE ${OUTPUT}.tmp
     "// Generated from ${INPUT} by embed_text.cmake: do not edit.\n"
     "#pragma once\n\n"
     "inline constexpr char ${NAME}[] = R\"${delimiter}(${text})${delimiter}\";\n")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
# -DTOUCH=ON (the build rule): the header is then newer than the text, even when unchanged.
if(TOUCH)
  file(TOUCH_NOCREATE ${OUTPUT})
endif()
