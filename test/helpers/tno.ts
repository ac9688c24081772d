// Answers to the TNO quickscan that pass validation, for the routes students and
// professionals take.
export function studentWithoutExperience(): Record<string, unknown> {
  return {
    b_role: 'student',
    b_instelling: 'haagse_hogeschool',
    c_ervaring: 'nee',
    c_collegas: 'nee',
    e_wenselijk: 3,
    f_leren: 4,
    t5: { t5_1: 3, t5_2: 4 },
    t6_belemmerd: 3,
    t9: { t9_1: 4 },
    t10: { t10_1: 5, t10_5: 4 },
  };
}

export function professionalWithExperience(): Record<string, unknown> {
  return {
    b_role: 'professional',
    b_sector: ['vrouwenopvang', 'veilig_thuis'],
    c_ervaring: 'ja',
    c_wanneer: ['vroeger'],
    d_delen_met: ['collegas'],
    e_wenselijk: 2,
    t5: { t5_1: 4, t5_5: 5 },
    t8_scholing: 1,
  };
}
